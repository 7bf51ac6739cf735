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

void CheckTlsFile(const std::string& field, const std::string& path, const Position& where,
                  const CheckContext& ctx, Diagnostics& diags) {
  if (path.empty()) {
    diags.Error(where, "tls." + field + ": a path is required");
  } else if (ctx.file_exists && !ctx.file_exists(path)) {
    diags.Error(where, "tls." + field + ": file " + Quote(path) + " does not exist");
  }
}

void CheckEndpoint(const Host& h, const CheckContext& ctx, Diagnostics& diags) {
  const auto& where = Best(h.endpoint_position, h.position);
  auto endpoint = model::ParseEndpoint(h.endpoint);
  if (!endpoint.ok()) {
    diags.Error(where, "endpoint: " + endpoint.status().message());
    return;
  }
  if (!h.tls) return;
  const auto& tls = *h.tls;
  const auto& tls_where = Best(h.tls_position, h.position);
  if (endpoint->kind == model::Endpoint::Kind::kUnix) {
    diags.Warning(tls_where, "tls: ignored for a unix:// endpoint");
    return;
  }
  CheckTlsFile("ca", tls.ca, Best(h.tls_ca_position, tls_where), ctx, diags);
  CheckTlsFile("cert", tls.cert, Best(h.tls_cert_position, tls_where), ctx, diags);
  CheckTlsFile("key", tls.key, Best(h.tls_key_position, tls_where), ctx, diags);
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

void CheckCluster(const model::Cluster& cluster, const CheckContext& ctx, Diagnostics& diags) {
  if (cluster.hosts.empty()) {
    diags.Error(cluster.position, "hosts: a cluster needs at least one host");
  }
  UniqueNames names("name", "host");
  for (const auto& h : cluster.hosts) {
    names.Add(h.name, Best(h.name_position, h.position), diags);
    CheckEndpoint(h, ctx, diags);
    CheckCapacity(h, diags);
  }
  CheckLoadBalancers(cluster, diags);
}

}  // namespace stowage::check
