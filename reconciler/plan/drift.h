// Drift: a task's containers no longer are what stowage created.
//
// Someone recreated a container by hand with other labels. TaskDrift
// compares the labels the engine lists for each container of a
// current-revision task with what stowage puts on it: the family label and the
// container's dockerLabels; a container the definition does not have is drift
// too. (Recomputing the io.stowage.spec-hash of every task costs ~200 us per
// task through apply::BuildTaskSpec, because the hash covers the task's own
// name and labels; that is 10 s at 50,000 tasks, so it is left to an inspect
// based check.)
#pragma once

#include <string>

#include "model/task_definition.h"
#include "plan/observed.h"

namespace stowage::plan {

// "" when the task matches; else the reason the plan prints after "drift: ",
// e.g. "web label team changed".
std::string TaskDrift(const std::string& cluster, const ObservedTask& task,
                      const model::TaskDefinition& td);

}  // namespace stowage::plan
