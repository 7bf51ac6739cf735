// Drift: a task's containers no longer are what stowage created.
//
// Someone recreated a container by hand (other labels, another spec).
// TaskDrift compares what the engine lists for each container of a
// current-revision task with the spec stowage would create for it
// (apply/container_spec.h): the dockerLabels, the family label, and the
// io.stowage.spec-hash label when the container has one (containers made with
// the docker CLI and stowage's labels have none). Secrets are not resolved
// (the spec hash does not depend on them).
#pragma once

#include <string>

#include "model/task_definition.h"
#include "plan/observed.h"

namespace stowage::plan {

// "" when the task matches; else the reason the plan prints after "drift: ",
// e.g. "web label team changed", "web spec changed".
std::string TaskDrift(const std::string& cluster, const ObservedTask& task,
                      const model::TaskDefinition& td);

}  // namespace stowage::plan
