// SshTargetOf: where and as whom a host of the cluster file is reached over ssh.
//
// Merges a host's ssh:// endpoint (ssh://[user@]host[:port][/socket]) with its
// `ssh:` block and `hostKey:` into an SshTarget, for the engine's connection
// (runtime/docker/ssh_endpoint.h) and for a load balancer reached through the
// same host (traffic/haproxy). The cluster file was validated before (check/);
// what does not parse here is refused again, never passed on to ssh.
#pragma once

#include "base/status.h"
#include "model/cluster.h"
#include "runtime/ssh/ssh_connection.h"

namespace stowage::runtime::ssh {

Result<SshTarget> SshTargetOf(const model::Host& host);

}  // namespace stowage::runtime::ssh
