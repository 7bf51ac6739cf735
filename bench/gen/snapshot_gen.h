// Snapshot generator: what the engines of a generated cluster would list.
//
// GenerateSnapshot places the desired tasks of a GeneratedSource on its hosts
// (respecting capacity, memberOf constraints, distinctInstance and static host
// ports, in a seeded random order) and describes every task's containers as
// runtime::ContainerSummary values, labelled exactly as the applier labels
// them (apply::BuildTaskSpec: model/labels.h labels, dockerLabels, spec hash).
// Then it spoils a seeded fraction of them, so the planner has real work:
//   - old revision: services caught mid-deployment (half their tasks, or all,
//     run the previous revision: another image tag, another revision hash);
//   - exited: the essential container exited (code 1 or 137);
//   - unhealthy: a container with a health check reports unhealthy;
//   - drifted: a container recreated by hand (dockerLabel "team" changed, or
//     an io.stowage.spec-hash that is not the spec's);
//   - missing container: a multi-container task lost one container;
//   - deficit / surplus: services one task short / one task over desiredCount;
//   - removed services: tasks of services no longer in the source
//     (service "gone-NNNN", family "legacy-NNNN").
// Tasks that find no host (constraints, capacity) are left out and counted.
//
// The result has one entry per host in cluster order, the shape of
// observe::HostSnapshot (host, info, containers): the planner bench turns it into
// a observe::Snapshot and decodes it with BuildObservedState. Deterministic: the
// same source and spec give the same containers in the same order.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gen/source_gen.h"
#include "observe/observed.h"
#include "runtime/runtime.h"

namespace stowage::bench {

struct SnapshotSpec {
  std::uint64_t seed = 2;
  double old_revision = 0.05;        // of replica services
  double exited = 0.01;              // of tasks
  double unhealthy = 0.005;          // of tasks (those with a health check)
  double drifted = 0.005;            // of tasks
  double missing_container = 0.002;  // of tasks (those with several containers)
  double deficit = 0.02;             // of services: one task fewer than desired
  double surplus = 0.01;             // of replica services: one task more than desired
  double removed_services = 0.005;   // of services: extra services not in the source
};

struct SnapshotHost {
  std::string host;  // registered host name
  runtime::HostInfo info;
  std::vector<runtime::ContainerSummary> containers;
};

// What was generated, for benchmarks to print and tests to check.
struct SnapshotTruth {
  int tasks = 0;  // all tasks listed
  int containers = 0;
  int old_revision_tasks = 0;
  int exited_tasks = 0;
  int unhealthy_tasks = 0;
  int drifted_tasks = 0;
  int missing_container_tasks = 0;
  int removed_service_tasks = 0;
  int deficit_services = 0;
  int surplus_services = 0;
  int unplaced_tasks = 0;  // desired tasks no host could take
};

struct GeneratedSnapshot {
  std::string cluster;
  std::vector<SnapshotHost> hosts;  // cluster order
  SnapshotTruth truth;
};

GeneratedSnapshot GenerateSnapshot(const GeneratedSource& source, const SnapshotSpec& spec = {});

// As the engines' answers the planner decodes (observe::BuildObservedState): every host reachable.
observe::Snapshot ToSnapshot(const GeneratedSnapshot& snapshot);

// The snapshot as JSON, for humans and tools: {"cluster", "truth": {...}, "hosts": [{"host",
// "info", "containers": [{"id", "name", "image", "state", "health", "exitCode", "labels",
// "ports", "created"}]}]}.
nlohmann::json SnapshotJson(const GeneratedSnapshot& snapshot);

}  // namespace stowage::bench
