#include "traffic/haproxy/ssh_forward.h"

#include "runtime/ssh/local_socket.h"
#include "runtime/ssh/ssh_target.h"

namespace stowage::traffic::haproxy {

Result<std::shared_ptr<SshForward>> SshForward::Make(
    const model::Host& host, const std::string& remote_path,
    const runtime::ssh::SshClientOptions& options) {
  auto target = runtime::ssh::SshTargetOf(host);
  if (!target.ok()) return target.status();
  auto connection = runtime::ssh::SshConnection::Make(*target, options);
  if (!connection.ok()) return connection.status();
  return std::shared_ptr<SshForward>(new SshForward(*connection, remote_path));
}

SshForward::SshForward(std::shared_ptr<runtime::ssh::SshConnection> connection,
                       std::string remote_path)
    : connection_(std::move(connection)),
      remote_path_(std::move(remote_path)),
      local_path_(connection_->NewLocalPath()) {}

SshForward::~SshForward() {
  std::lock_guard lock(mu_);
  if (generation_ >= 0) connection_->CancelForward(local_path_, remote_path_);
}

Result<std::string> SshForward::LocalSocket() {
  if (Status st = connection_->Ready(); !st.ok()) return st;
  std::lock_guard lock(mu_);
  const int generation = connection_->generation();
  if (generation_ == generation) return local_path_;
  if (Status st = connection_->Forward(local_path_, remote_path_); !st.ok()) {
    const std::string said = connection_->TakeFailure();
    return Status::Unreachable("ssh forward to " + remote_path_ + " on " +
                               connection_->target().label + ": " + st.message() +
                               (said.empty() ? "" : " (" + said + ")"));
  }
  // HAProxy answers any line (`help`: the command list); a forward the server
  // refused, or to a path where nothing listens, is closed unanswered.
  if (runtime::ssh::AskLocalSocket(local_path_, "help\n", 1).empty()) {
    connection_->CancelForward(local_path_, remote_path_);
    return Status::Unreachable(WhyNoAnswer());
  }
  generation_ = generation;
  return local_path_;
}

std::string SshForward::WhyNoAnswer() {
  // The master does not say why a channel was refused; a session on the host
  // tells a refused forwarding from a missing socket (paths are checked safe
  // for the remote shell by the model).
  const std::string where = "ssh forward to " + remote_path_ + " on " + connection_->target().label;
  std::string said;
  if (auto fd = connection_->OpenStream({"if", "test", "-S", remote_path_, ";", "then", "echo",
                                         "socket;", "else", "echo", "none;", "fi"});
      fd.ok()) {
    said = runtime::ssh::Exchange(*fd, "", 64);
  }
  (void)connection_->TakeFailure();
  if (said == "socket\n") {
    return where +
           ": the server refuses unix socket forwarding (sshd_config: AllowStreamLocalForwarding), "
           "which a runtimeApi over ssh:// needs";
  }
  if (said == "none\n") return where + ": no unix socket at " + remote_path_ + " on the host";
  return where +
         ": no answer through the forward (the server refuses unix socket forwarding, or nothing "
         "listens at " +
         remote_path_ + ")";
}

}  // namespace stowage::traffic::haproxy
