// SshEndpoints: the Endpoint of a host reached over ssh://.
//
// Merges the endpoint URL (ssh://[user@]host[:port][/socket]) with the host's
// `ssh:` block and `hostKey:` into an ssh::SshTarget, keeps one SshConnection
// (one master) per distinct target for as long as this object lives, and
// returns an Endpoint whose HTTP goes to a local socket of that connection
// (Transport::SocketPath, known once the transport is up): forwarded by the
// master to the remote socket when the URL names one and the server allows
// stream forwarding (no process per connection), else served by this command
// at a private path, `docker system dial-stdio` on the host per connection, as
// the docker CLI does. The cluster file was validated before (check/); what
// does not parse here is refused again, never passed on to ssh.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"
#include "model/cluster.h"
#include "runtime/docker/endpoint.h"
#include "runtime/ssh/ssh_connection.h"
#include "runtime/ssh/ssh_target.h"

namespace stowage::runtime::docker {

class SshEndpoints {
 public:
  explicit SshEndpoints(ssh::SshClientOptions options) : options_(std::move(options)) {}
  ~SshEndpoints();
  SshEndpoints(const SshEndpoints&) = delete;
  SshEndpoints& operator=(const SshEndpoints&) = delete;
  Result<Endpoint> Resolve(const model::Host& host);

 private:
  ssh::SshClientOptions options_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<ssh::SshConnection>> connections_;
  // Per target and remote socket: the transport.
  std::map<std::string, std::shared_ptr<Transport>> tunnels_;
};

}  // namespace stowage::runtime::docker
