#include "runtime/docker/ssh_endpoint.h"

#include <thread>

#include "model/endpoint.h"
#include "runtime/ssh/local_socket.h"

namespace stowage::runtime::docker {
namespace {

// Whether an engine answers /_ping on the local socket `path` within 10 s.
bool AnswersPing(const std::string& path) {
  return ssh::AskLocalSocket(path, "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n", 7)
             .rfind("HTTP/1.", 0) == 0;
}

// The engine behind one ssh:// endpoint, at a local socket libcurl connects
// to. With a socket path, the master forwards that socket (no process per
// connection; a shared master's forward is at a path every command knows);
// when the server refuses stream forwarding (sshd's AllowStreamLocalForwarding
// no) or no path is given, every connection runs `docker system dial-stdio` on
// the host instead, as the docker CLI does, served by this command at a path
// of its own (another command's listener would end with that command).
class EngineTunnel : public Transport {
 public:
  EngineTunnel(std::shared_ptr<ssh::SshConnection> connection, std::string remote_path)
      : connection_(std::move(connection)),
        remote_path_(std::move(remote_path)),
        shared_(!connection_->SharedForwardPath(remote_path_).empty()),
        local_path_(shared_ ? connection_->SharedForwardPath(remote_path_)
                            : connection_->NewLocalPath()) {}
  std::string SocketPath() override {
    std::lock_guard lock(mu_);
    return local_path_;
  }

  Status Ready() override {
    auto st = connection_->Ready();
    if (!st.ok()) return st;
    std::lock_guard lock(mu_);
    if (mode_ == Mode::kDialStdio) return Status::Ok();
    int generation = connection_->generation();
    if (mode_ == Mode::kForward && generation_ == generation) return Status::Ok();
    if (!remote_path_.empty()) {
      // A shared master keeps its forward for the next command: no ssh to run.
      if (mode_ == Mode::kUnset && shared_ && AnswersPing(local_path_)) {
        mode_ = Mode::kForward;
        generation_ = generation;
        return Status::Ok();
      }
      auto forwarded = connection_->Forward(local_path_, remote_path_);
      // Once it worked, a master started again gets the same forward back.
      if (forwarded.ok() && (mode_ == Mode::kForward || AnswersPing(local_path_))) {
        mode_ = Mode::kForward;
        generation_ = generation;
        return Status::Ok();
      }
      if (mode_ == Mode::kForward) return forwarded;
      connection_->CancelForward(local_path_, remote_path_);
    }
    if (shared_) local_path_ = connection_->NewLocalPath();
    auto served = connection_->LocalSocket(ssh::DockerDialStdio(remote_path_), local_path_);
    if (!served.ok()) return served.status();
    local_path_ = *served;
    mode_ = Mode::kDialStdio;
    return Status::Ok();
  }
  std::string TakeFailure() override { return connection_->TakeFailure(); }

 private:
  enum class Mode { kUnset, kForward, kDialStdio };
  std::shared_ptr<ssh::SshConnection> connection_;
  std::string remote_path_;
  bool shared_;  // the master is shared: its forward outlives the command
  std::mutex mu_;
  std::string local_path_;  // where libcurl connects
  Mode mode_ = Mode::kUnset;
  int generation_ = 0;
};

std::string KeyOf(const ssh::SshTarget& t) {
  std::string key = t.user + "@" + t.host + ":" + std::to_string(t.port) + " " + t.host_key;
  for (const auto& [k, v] : t.options) key += " " + k + "=" + v;
  return key;
}

}  // namespace

SshEndpoints::~SshEndpoints() {
  // Masters are told to exit in parallel: each takes an ssh round trip.
  tunnels_.clear();
  std::vector<std::thread> closing;
  for (auto& [key, connection] : connections_) {
    closing.emplace_back([c = std::move(connection)]() mutable { c.reset(); });
  }
  for (auto& t : closing) t.join();
}

Result<Endpoint> SshEndpoints::Resolve(const model::Host& host) {
  auto target = ssh::SshTargetOf(host);
  if (!target.ok()) return target.status();
  auto ep = model::ParseEndpoint(host.endpoint);  // ok: SshTargetOf parsed it
  std::shared_ptr<ssh::SshConnection> connection;
  {
    std::lock_guard lock(mu_);
    auto& slot = connections_[KeyOf(*target)];
    if (!slot) {
      auto made = ssh::SshConnection::Make(*target, options_);
      if (!made.ok()) return made.status();
      slot = *made;
    }
    connection = slot;
  }
  Endpoint e;
  e.url = host.endpoint;
  e.base_url = "http://localhost";
  std::lock_guard lock(mu_);
  auto& tunnel = tunnels_[KeyOf(*target) + "\n" + ep->path];
  if (!tunnel) tunnel = std::make_shared<EngineTunnel>(connection, ep->path);
  e.transport = tunnel;
  return e;
}

}  // namespace stowage::runtime::docker
