#include "runtime/docker/ssh_endpoint.h"

#include "model/endpoint.h"
#include "model/ssh.h"

namespace stowage::runtime::docker {
namespace {

class SshTransport : public Transport {
 public:
  explicit SshTransport(std::shared_ptr<ssh::SshConnection> connection)
      : connection_(std::move(connection)) {}
  Status Ready() override { return connection_->Ready(); }
  std::string TakeFailure() override { return connection_->TakeFailure(); }

 private:
  std::shared_ptr<ssh::SshConnection> connection_;
};

std::string KeyOf(const ssh::SshTarget& t) {
  std::string key = t.user + "@" + t.host + ":" + std::to_string(t.port) + " " + t.host_key;
  for (const auto& [k, v] : t.options) key += " " + k + "=" + v;
  return key;
}

}  // namespace

Result<ssh::SshTarget> SshTargetOf(const model::Host& host) {
  auto ep = model::ParseEndpoint(host.endpoint);
  if (!ep.ok()) return Status::Invalid(host.name + ": endpoint: " + ep.status().message());
  if (ep->kind != model::Endpoint::Kind::kSsh) {
    return Status::Invalid(host.name + ": not an ssh:// endpoint");
  }
  ssh::SshTarget t;
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

Result<Endpoint> SshEndpoints::Resolve(const model::Host& host) {
  auto target = SshTargetOf(host);
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
  auto local = connection->LocalSocket(ssh::DockerDialStdio(ep->path));
  if (!local.ok()) return local.status();
  Endpoint e;
  e.url = host.endpoint;
  e.base_url = "http://localhost";
  e.unix_socket = *local;
  e.transport = std::make_shared<SshTransport>(connection);
  return e;
}

}  // namespace stowage::runtime::docker
