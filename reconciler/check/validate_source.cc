#include "check/validate_source.h"

#include "check/checks.h"
#include "check/position.h"
#include "load/load_source.h"

namespace stowage::check {
namespace {

std::string Count(int n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

// Exactly one cluster document per source.
void CheckClusterCount(const load::LoadedSource& loaded, Diagnostics& diags) {
  if (loaded.clusters == 0) {
    diags.Error(Position{},
                "no cluster document: add one (kind: Cluster, conventionally "
                "cluster.yaml) listing the hosts");
    return;
  }
  if (loaded.all_clusters.size() < 2) return;
  const Position& first = loaded.all_clusters.front().position;
  for (size_t i = 1; i < loaded.all_clusters.size(); ++i) {
    const Position& here = loaded.all_clusters[i].position;
    diags.Error(here, "kind: a source holds exactly one cluster document, the first is at " +
                          Where(first, here));
  }
}

}  // namespace

ValidatedSource ValidateSource(Source& source, const policy::Policy& policy,
                               load::LoadCache* cache) {
  load::LoadedSource loaded =
      cache != nullptr ? load::LoadSource(source, *cache) : load::LoadSource(source);
  ValidatedSource out;
  out.task_definitions = loaded.task_definitions;
  out.services = loaded.services;
  out.hosts = loaded.hosts;
  out.diagnostics = std::move(loaded.diagnostics);
  if (loaded.all_clusters.size() == 1) out.cluster = loaded.all_clusters.front();
  // Cross-document checks only make sense once every document decoded: a
  // document that failed would otherwise show up as spurious "does not
  // resolve" errors elsewhere.
  if (!out.diagnostics.HasErrors()) {
    CheckClusterCount(loaded, out.diagnostics);
    CheckDocuments(loaded.state, out.diagnostics);
    for (const auto& cluster : loaded.all_clusters) CheckCluster(cluster, out.diagnostics);
    policy::CheckPolicy(loaded.state, policy, out.diagnostics);
    out.diagnostics.Sort();
  }
  if (out.diagnostics.HasErrors()) return out;
  out.state = std::move(loaded.state);
  return out;
}

std::string Summary(const ValidatedSource& v) {
  return Count(v.task_definitions, "task definition", "task definitions") + ", " +
         Count(v.services, "service", "services") + ", " + Count(v.hosts, "host", "hosts") + ": " +
         Count(v.diagnostics.errors(), "error", "errors") + ", " +
         Count(v.diagnostics.warnings(), "warning", "warnings");
}

}  // namespace stowage::check
