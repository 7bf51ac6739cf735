#include "load/tls_files.h"

#include "util/printable.h"

namespace stowage::load {
namespace {

void ReadOne(Source& source, const std::string& field, const std::string& path,
             const Position& where, std::string& out, Diagnostics& diags) {
  if (path.empty()) return;  // the cluster checks say a path is required
  auto text = source.Read(path);
  if (!text.ok()) {
    diags.Error(where,
                field + ": \"" + Printable(path) + "\": " + Printable(text.status().message()));
    return;
  }
  // An empty file would leave the contents unset, and libcurl would then open
  // the path itself, from stowage's working directory (http_client.cc).
  if (text->empty()) {
    diags.Error(where, field + ": \"" + Printable(path) + "\": the file is empty");
    return;
  }
  out = std::move(*text);
}

const Position& Best(const Position& p, const Position& fallback) {
  return p.line > 0 ? p : fallback;
}

}  // namespace

void ReadTlsFiles(Source& source, model::Cluster& cluster, Diagnostics& diags) {
  for (size_t i = 0; i < cluster.hosts.size(); ++i) {
    auto& h = cluster.hosts[i];
    // Ignored (with a warning of the cluster checks) for unix:// and ssh:// endpoints.
    if (!h.tls || h.endpoint.starts_with("unix://") || h.endpoint.starts_with("ssh://")) continue;
    const Position& at = Best(h.tls_position, h.position);
    const std::string field = "hosts[" + std::to_string(i) + "].tls.";
    auto& t = *h.tls;
    ReadOne(source, field + "ca", t.ca, Best(h.tls_ca_position, at), t.ca_pem, diags);
    ReadOne(source, field + "cert", t.cert, Best(h.tls_cert_position, at), t.cert_pem, diags);
    ReadOne(source, field + "key", t.key, Best(h.tls_key_position, at), t.key_pem, diags);
  }
}

}  // namespace stowage::load
