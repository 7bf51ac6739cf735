// Drift: a task's containers no longer are what stowage created.
//
// Someone changed a container by hand. TaskDrift compares, for each container
// of a current-revision task, what the engine reports with what stowage puts
// there: the family label and the container's dockerLabels (a container
// recreated by hand with other labels); the container's name (`docker
// rename`); and, when the snapshot inspected it (SnapshotOptions::inspect), the
// configuration `docker update` changes in place: cpu shares, memory limit,
// memory reservation and restart policy. A container the definition does not
// have is drift too. (The io.stowage.spec-hash label cannot change on an
// existing container, and recomputing it costs ~200 us per task through
// apply::BuildTaskSpec, because the hash covers the task's own name and labels:
// 10 s at 50,000 tasks; the checks above look at what can actually change.)
#pragma once

#include <string>

#include "model/task_definition.h"
#include "observe/observed.h"

namespace stowage::plan {

// How the reason of an action replacing a drifted task starts ("drift: app
// renamed to x (want web.app.t1)"); the plan also lists these tasks apart
// (ServicePlan::drift), even when their replacement is blocked.
inline constexpr const char* kDriftReason = "drift: ";

// "" when the task matches; else the reason the plan prints after "drift: ",
// e.g. "app label team changed", "app renamed to x (want web.app.t1)",
// "app memory 128 MiB (defined 64 MiB)", "app restart policy always (defined no)".
std::string TaskDrift(const std::string& cluster, const observe::ObservedTask& task,
                      const model::TaskDefinition& td);

}  // namespace stowage::plan
