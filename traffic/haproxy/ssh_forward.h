// SshForward: HAProxy's Runtime API socket on a remote host, reached over ssh.
//
// A load balancer whose runtimeApi is ssh://[USER@]HOST[:PORT]/PATH runs on a
// host of the cluster: it is reached through that host's ssh connection (its
// hostKey, its ssh: block, the operator's --ssh-key), with a shared master
// (--ssh-persist > 0, the default) the very master its engine uses. The master
// forwards a local socket in its private directory to PATH on the host
// (direct-streamlocal, as `ssh -L`): each Runtime API command is one channel,
// no process. A master started again gets the forward again; the forward is
// cancelled when this object goes. A new forward is tried with one command
// (`help`): when nothing answers, the error says why, from a session on the
// host (the server refuses socket forwarding, or no socket is at PATH).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"
#include "model/cluster.h"
#include "runtime/ssh/ssh_connection.h"

namespace stowage::traffic::haproxy {

class SshForward {
 public:
  static Result<std::shared_ptr<SshForward>> Make(const model::Host& host,
                                                  const std::string& remote_path,
                                                  const runtime::ssh::SshClientOptions& options);
  ~SshForward();
  SshForward(const SshForward&) = delete;
  SshForward& operator=(const SshForward&) = delete;

  // The local socket, the master up and forwarding it; else why not (ssh's words).
  Result<std::string> LocalSocket();

 private:
  SshForward(std::shared_ptr<runtime::ssh::SshConnection> connection, std::string remote_path);
  // Why a forward got no answer, in words for the operator.
  std::string WhyNoAnswer();

  std::shared_ptr<runtime::ssh::SshConnection> connection_;
  std::string remote_path_;
  std::string local_path_;
  std::mutex mu_;
  int generation_ = -1;  // the master generation the forward was set under
};

}  // namespace stowage::traffic::haproxy
