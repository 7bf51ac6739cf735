// Retired containers: what is left of old tasks whose stop an apply handed to
// their engines (apply/task_ops.h StopMode::kHandOff, model/labels.h
// RetiredName).
//
// Observed state lists them apart from tasks (observe/observed.h), so they
// never show in a plan. CleanUpRetired removes those that have exited (and a
// task's own volumes with its last container), and kills and removes those
// still running a minute past their deadline (a stop request the engine never
// got). Every apply runs it under the cluster lock before it applies, also an
// apply with nothing to change, so a fleet carries exited containers only
// until the next apply (or the watcher's next reconcile).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/cluster.h"
#include "observe/observed.h"
#include "runtime/runtime.h"

namespace stowage::apply {

// Seconds past its deadline after which a retired container that still runs
// is killed.
inline constexpr std::int64_t kRetiredGraceSeconds = 60;

struct RetiredCleanup {
  int removed = 0;             // exited retired containers removed
  int killed = 0;              // still running past deadline + grace: killed and removed
  std::vector<Status> errors;  // per container (the host and name in the message)
};

// Acts on the reachable hosts of `observed`; `now_unix` in seconds.
RetiredCleanup CleanUpRetired(const model::Cluster& cluster, const observe::ObservedState& observed,
                              runtime::RuntimeFactory& runtimes, std::int64_t now_unix);

}  // namespace stowage::apply
