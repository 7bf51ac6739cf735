// Checks on the cluster document: hosts, names, endpoints, TLS files, capacity.
#include <map>
#include <string>

#include "check/checks.h"
#include "check/internal.h"
#include "check/position.h"
#include "model/endpoint.h"

namespace stowage::check {
namespace {

using model::Host;

// The file itself is read through the source by the loader (load/tls_files.h),
// which reports one that cannot be read.
void CheckTlsFile(const std::string& field, const std::string& path, const Position& where,
                  Diagnostics& diags) {
  if (path.empty()) diags.Error(where, "tls." + field + ": a path is required");
}

std::string AllowedSshOptions() {
  std::string out;
  for (const auto& o : model::SafeSshOptions()) out += (out.empty() ? "" : ", ") + o;
  return out;
}

// The ssh: block and hostKey: of an ssh:// endpoint (see model/ssh.h).
void CheckSsh(const Host& h, const model::Endpoint& endpoint, Diagnostics& diags) {
  if (!h.host_key.empty()) {
    auto key = model::ParseHostKey(h.host_key);
    if (!key.ok())
      diags.Error(Best(h.host_key_position, h.position), "hostKey: " + key.status().message());
  }
  if (!h.ssh) return;
  const auto& ssh = *h.ssh;
  if (!ssh.user.empty()) {
    const auto& at = Best(ssh.user_position, h.position);
    if (!model::IsSafeSshUser(ssh.user)) {
      diags.Error(at,
                  "ssh.user: expected 1 to 32 letters, digits, '.', '_' or '-', not starting "
                  "with '-' or '.', got " +
                      Quote(ssh.user));
    } else if (!endpoint.user.empty() && endpoint.user != ssh.user) {
      diags.Error(at, "ssh.user: " + Quote(ssh.user) + " differs from the endpoint's user " +
                          Quote(endpoint.user));
    }
  }
  if (ssh.port != 0 && endpoint.port != 0 && ssh.port != endpoint.port) {
    diags.Error(Best(ssh.port_position, h.position), "ssh.port: " + std::to_string(ssh.port) +
                                                         " differs from the endpoint's port " +
                                                         std::to_string(endpoint.port));
  }
  for (const auto& [name, value] : ssh.options) {
    const auto& at = Best(ssh.options_position, h.position);
    if (model::CanonicalSshOption(name).empty()) {
      diags.Error(at, "ssh.options: " + Quote(name) +
                          " is not allowed (allowed: " + AllowedSshOptions() + ")");
    } else if (!model::IsSafeSshOptionValue(value)) {
      diags.Error(at, "ssh.options." + name + ": expected 1 to 64 letters, digits or .,_:+-, got " +
                          Quote(value));
    }
  }
}

void CheckEndpoint(const Host& h, Diagnostics& diags) {
  const auto& where = Best(h.endpoint_position, h.position);
  auto endpoint = model::ParseEndpoint(h.endpoint);
  if (!endpoint.ok()) {
    diags.Error(where, "endpoint: " + endpoint.status().message());
    return;
  }
  if (endpoint->kind == model::Endpoint::Kind::kSsh) {
    CheckSsh(h, *endpoint, diags);
  } else if (h.ssh || !h.host_key.empty()) {
    diags.Warning(
        h.ssh ? Best(h.ssh->position, h.position) : Best(h.host_key_position, h.position),
        std::string(h.ssh ? "ssh" : "hostKey") + ": ignored for an endpoint that is not ssh://");
  }
  if (!h.tls) return;
  const auto& tls = *h.tls;
  const auto& tls_where = Best(h.tls_position, h.position);
  if (endpoint->kind == model::Endpoint::Kind::kUnix ||
      endpoint->kind == model::Endpoint::Kind::kSsh) {
    diags.Warning(tls_where, std::string("tls: ignored for a ") +
                                 (endpoint->kind == model::Endpoint::Kind::kSsh ? "ssh" : "unix") +
                                 ":// endpoint");
    return;
  }
  CheckTlsFile("ca", tls.ca, Best(h.tls_ca_position, tls_where), diags);
  CheckTlsFile("cert", tls.cert, Best(h.tls_cert_position, tls_where), diags);
  CheckTlsFile("key", tls.key, Best(h.tls_key_position, tls_where), diags);
}

void CheckCapacity(const Host& h, Diagnostics& diags) {
  if (!h.capacity) return;
  auto check = [&](const char* what, int reserved, int capacity) {
    if (reserved >= capacity) {
      diags.Error(h.position, std::string("reserved: ") + what + " " + std::to_string(reserved) +
                                  " leaves nothing of capacity " + std::to_string(capacity));
    }
  };
  check("cpu", h.reserved.cpu, h.capacity->cpu);
  check("memory", h.reserved.memory, h.capacity->memory);
}

}  // namespace

void CheckCluster(const model::Cluster& cluster, Diagnostics& diags) {
  if (cluster.hosts.empty()) {
    diags.Error(cluster.position, "hosts: a cluster needs at least one host");
  }
  UniqueNames names("name", "host");
  for (const auto& h : cluster.hosts) {
    names.Add(h.name, Best(h.name_position, h.position), diags);
    CheckEndpoint(h, diags);
    CheckCapacity(h, diags);
  }
  CheckLoadBalancers(cluster, diags);
}

}  // namespace stowage::check
