// One-shot tasks: standalone tasks of a task definition run to their end.
//
// What `stowage run-task` runs (ECS RunTask), and what a service's dependsOn
// entry {taskDefinition: FAMILY, condition: COMPLETE | SUCCESS} runs before
// the service deploys (a migration). A one-shot task is placed on the fleet
// as it runs now (the definition's constraints, spread on host), started with
// the standalone labels (io.stowage.standalone=true, service
// "run-task:FAMILY": never replaced nor pruned; stopped, the newest 5 per
// family and host are kept, apply/one_shot_history.h), and awaited until every
// container has exited. SUCCESS means every essential container exited 0.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "apply/clock.h"
#include "apply/container_spec.h"
#include "apply/host_session.h"
#include "apply/task_ops.h"
#include "base/status.h"
#include "model/desired_state.h"
#include "plan/scheduler.h"
#include "runtime/runtime.h"

namespace stowage::apply {

// A fresh random task id (12 hex digits): each run is a new task.
std::string NewOneShotId();

// Where `count` tasks of `td` go on the fleet as it runs now (observed
// through `factory`), and why the rest fit nowhere. Host names, in order.
struct OneShotPlacement {
  std::vector<std::string> hosts;
  int unplaced = 0;
  std::vector<std::string> reasons;  // one line per host, when unplaced > 0
};
OneShotPlacement PlaceOneShots(const model::DesiredState& desired, const model::TaskDefinition& td,
                               runtime::RuntimeFactory& factory, int count);

// Creates and starts task `task_id` of `td` on the session's host (its
// secrets resolved through `resolve`).
Status StartOneShot(HostSession& session, const model::TaskDefinition& td,
                    const std::string& commit, const std::string& task_id,
                    const SecretResolver& resolve, Clock& clock);

// Waits until every container of the task has exited: their exit codes by
// container name. Gives up (a timeout) after `limit`, when set.
Result<std::map<std::string, int>> WaitOneShot(HostSession& session, const std::string& task_id,
                                               Clock& clock, const GateOptions& gate,
                                               std::optional<std::chrono::milliseconds> limit);

// "app exited 1" for the first essential container that did not exit 0 (in
// definition order), "" when every essential one did.
std::string EssentialFailure(const model::TaskDefinition& td,
                             const std::map<std::string, int>& exit_codes);

}  // namespace stowage::apply
