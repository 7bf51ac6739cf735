#include "load/referenced_files.h"

#include <algorithm>

#include "secrets/reference.h"

namespace stowage::load {
namespace {

void AddAgeFile(const std::string& reference, std::vector<std::string>& out) {
  if (reference.rfind("age:", 0) != 0) return;
  auto ref = secrets::ParseReference(reference);
  if (ref.ok() && ref->kind == secrets::Reference::Kind::kAge) out.push_back(ref->path);
}

}  // namespace

std::vector<std::string> ReferencedFiles(const std::vector<model::Cluster>& clusters,
                                         const std::vector<model::TaskDefinition>& definitions) {
  std::vector<std::string> out;
  for (const auto& cluster : clusters) {
    for (const auto& host : cluster.hosts) {
      if (!host.tls) continue;
      for (const std::string* path : {&host.tls->ca, &host.tls->cert, &host.tls->key}) {
        if (!path->empty()) out.push_back(*path);
      }
    }
  }
  for (const auto& td : definitions) {
    for (const auto& c : td.containers) {
      for (const auto& s : c.secrets) AddAgeFile(s.value_from, out);
      AddAgeFile(c.credentials_parameter, out);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace stowage::load
