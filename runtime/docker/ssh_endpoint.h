// SshEndpoints: the Endpoint of a host reached over ssh://.
//
// Merges the endpoint URL (ssh://[user@]host[:port][/socket]) with the host's
// `ssh:` block and `hostKey:` into an ssh::SshTarget, keeps one SshConnection
// (one master) per distinct target for as long as this object lives, and
// returns an Endpoint whose HTTP goes over `docker system dial-stdio` streams
// of that connection. The cluster file was validated before (check/); what
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

namespace stowage::runtime::docker {

// The target a host's ssh:// endpoint, ssh: block and hostKey: describe.
Result<ssh::SshTarget> SshTargetOf(const model::Host& host);

class SshEndpoints {
 public:
  explicit SshEndpoints(ssh::SshClientOptions options) : options_(std::move(options)) {}
  Result<Endpoint> Resolve(const model::Host& host);

 private:
  ssh::SshClientOptions options_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<ssh::SshConnection>> connections_;
};

}  // namespace stowage::runtime::docker
