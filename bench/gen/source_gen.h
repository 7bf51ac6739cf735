// Source generator: synthetic, realistic stowage sources for the benchmarks.
//
// GenerateSource builds, from a seed, a DesiredState as the loader would
// decode it: one task definition per service (family "app-NNNNN", service
// "svc-NNNNN"), a cluster of hosts with attributes zone (eu-1a/b/c,
// round-robin), class (general 70%, compute 20%, memory 10%) and rack
// (r00, r01 ... twenty hosts each), explicit capacity, and revisions filled in
// (model::ComputeRevision). WriteSource writes it as files: cluster.yaml, and
// per service its task definition and service document, spread over four
// layouts so the mix is half JSON, half YAML:
//   i % 4 == 0  task-definitions/app-i.json  + services/svc-i.json
//   i % 4 == 1  task-definitions/app-i.yaml  + services/svc-i.yaml
//   i % 4 == 2  apps/svc-i.yaml (both documents, "---" separated)
//   i % 4 == 3  task-definitions/app-i.json  + services/svc-i.yml
// every 50th JSON task definition in the describe-task-definition wrapping.
//
// What the services look like (all seeded): 1 to 3 containers (a main one
// with port 8080 on a dynamic host port, optional sidecars with dependsOn),
// environment, health checks on ~40% of main containers, dockerLabels, log
// configuration, task-level cpu/memory as strings on ~30%; placement
// strategies mixed (spread zone+instanceId, binpack memory/cpu, random,
// default); ~30% of services carry a memberOf constraint (zone lists, class
// tests, `=~` on racks, anti-affinity `not (task:group == service:X)`), some
// distinctInstance (those with a static host port always do); a few DAEMON
// services (about 5% of the tasks); deployment settings and circuit breakers
// on some. Every generated source passes check::CheckDesiredState, and the
// capacities leave ~40% headroom for `tasks` desired tasks.
//
// Sizes used by the benchmarks: SourceSpec::Medium() (M: 1,000 services,
// 5,000 tasks, 100 hosts) and SourceSpec::Large() (L: 10,000 services, 50,000
// tasks, 100 hosts ... 1,000 hosts).
//
// Typical use (bench/plan):
//   auto source = bench::GenerateSource(bench::SourceSpec::Large());
//   auto files = bench::WriteSource(source, dir);      // for load + plan
//   auto snap = bench::GenerateSnapshot(source, {});   // see snapshot_gen.h
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "base/status.h"
#include "model/desired_state.h"

namespace stowage::bench {

struct SourceSpec {
  int services = 1000;
  int tasks = 5000;  // desired tasks: replica desiredCounts plus DAEMON tasks (one per host)
  int hosts = 100;
  std::uint64_t seed = 1;
  std::string cluster = "bench";

  static SourceSpec Medium() { return {}; }
  static SourceSpec Large() { return {10000, 50000, 1000, 1, "bench"}; }
  // "M", "L", or "S" (a small source for tests: 40 services, 120 tasks, 8 hosts).
  static Result<SourceSpec> Named(const std::string& size);
};

struct GeneratedSource {
  SourceSpec spec;
  // Task definitions sorted by family, services by name, revisions computed;
  // positions left empty (there are no files behind it).
  model::DesiredState desired;
  int daemon_services = 0;
  int desired_tasks = 0;  // replica desiredCounts + daemon services x eligible hosts
};

GeneratedSource GenerateSource(const SourceSpec& spec);

// Writes the source's documents below `dir` (created; existing files of the same
// names are overwritten). Returns the number of files written.
Result<int> WriteSource(const GeneratedSource& source, const std::filesystem::path& dir);

}  // namespace stowage::bench
