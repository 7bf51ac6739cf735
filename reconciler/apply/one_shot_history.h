// One-shot history: how many stopped one-shot tasks a host keeps.
//
// One-shot tasks (a service's dependsOn migration, `stowage run-task`) stay on
// their host when they stop, for their logs and exit codes. So that they do
// not pile up with every release, each apply (under the cluster lock) keeps
// the newest kOneShotHistory stopped tasks of each family on each host, like
// Swarm's task history limit (5), and removes older ones with their
// task-scoped volumes. A task still running is never removed nor counted.
#pragma once

#include <string>
#include <vector>

#include "apply/clock.h"
#include "model/cluster.h"
#include "observe/observed.h"
#include "runtime/runtime.h"

namespace stowage::apply {

inline constexpr int kOneShotHistory = 5;

// Of one host's standalone containers, the tasks to remove: per family, the
// stopped ones (every container exited or dead) beyond the newest `keep`
// (by their newest container's creation time, then task id). Oldest first.
std::vector<std::string> OneShotsToRemove(const std::vector<runtime::ContainerSummary>& containers,
                                          int keep);

// The reachable hosts where `observed` shows at least `keep` stopped one-shot
// tasks of one family: only there can an apply take the count past `keep`
// (it runs one task per dependency), so only they are listed again.
std::vector<std::string> HostsWithOneShotHistory(const observe::ObservedState& observed, int keep);

struct PruneReport {
  int removed = 0;
  std::vector<std::string> errors;  // "host h1: task 0a1b2c3d4e5f: ..."
};

// Lists the standalone tasks of `hosts` afresh and removes what
// OneShotsToRemove names. Failures are reported, never fatal.
PruneReport PruneOneShots(const model::Cluster& cluster, runtime::RuntimeFactory& factory,
                          const std::vector<std::string>& hosts, int keep, Clock& clock);

}  // namespace stowage::apply
