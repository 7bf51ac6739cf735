#include "runtime/ssh/ssh_target.h"

#include "model/endpoint.h"
#include "model/ssh.h"

namespace stowage::runtime::ssh {

Result<SshTarget> SshTargetOf(const model::Host& host) {
  auto ep = model::ParseEndpoint(host.endpoint);
  if (!ep.ok()) return Status::Invalid(host.name + ": endpoint: " + ep.status().message());
  if (ep->kind != model::Endpoint::Kind::kSsh) {
    return Status::Invalid(host.name + ": not an ssh:// endpoint");
  }
  SshTarget t;
  t.host = ep->host;
  t.user = ep->user;
  t.port = ep->port;
  t.label = host.endpoint;
  if (host.ssh) {
    if (t.user.empty() && !host.ssh->user.empty()) {
      if (!model::IsSafeSshUser(host.ssh->user)) {
        return Status::Invalid(host.name + ": ssh.user is not a plain user name");
      }
      t.user = host.ssh->user;
    }
    if (t.port == 0) t.port = host.ssh->port;
    for (const auto& [name, value] : host.ssh->options) {
      std::string canonical = model::CanonicalSshOption(name);
      if (canonical.empty() || !model::IsSafeSshOptionValue(value)) {
        return Status::Invalid(host.name + ": ssh.options: " + name + " is not allowed");
      }
      t.options[canonical] = value;
    }
  }
  if (!host.host_key.empty()) {
    auto key = model::ParseHostKey(host.host_key);
    if (!key.ok()) return Status::Invalid(host.name + ": hostKey: " + key.status().message());
    t.host_key_type = key->type;
    t.host_key = key->key;
  }
  return t;
}

}  // namespace stowage::runtime::ssh
