// The planner: DesiredState x ObservedState x PlanOptions -> Plan (pure).
//
// Per service it compares what runs with what the source wants: tasks of the
// current revision against desiredCount (scale up / scale in), tasks of older
// revisions (a rolling deployment, cut into steps within
// minimumHealthyPercent/maximumPercent, see plan/rollout.h), exited, unhealthy
// or incomplete tasks (replaced), drift (replaced), tasks on draining hosts
// (moved off within the deployment limits), stopped tasks of an old revision
// left by a finished deployment (removed), and services no longer in the
// source (removed only with pruning on). New tasks are placed through the
// scheduler, DAEMON services first; what cannot be placed is reported blocked
// with one reason per host and the rest of the plan stands. Hosts that did not
// answer are warnings and their tasks are neither touched nor rescheduled.
// A plan that would stop more than half of all running tasks carries an error
// unless allow_mass_delete is set.
//
// Deterministic: task ids and random placement derive from the inputs, so the
// same inputs give byte-identical plan JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "plan/observed.h"
#include "plan/plan.h"

namespace stowage::plan {

struct PlanOptions {
  bool prune = false;  // remove tasks of services no longer in the source (or cluster prune)
  bool allow_mass_delete = false;
  std::vector<std::string> targets{};  // only these services; empty: all
  std::uint64_t seed = 0;              // mixed into task ids and random placement
};

Plan MakePlan(const model::DesiredState& desired, const ObservedState& observed,
              const PlanOptions& options);

// The number of tasks the planner aims at for `service` on this fleet: its
// desiredCount (REPLICA), or the hosts a DAEMON service is placed on (reachable,
// active and passing its memberOf constraints), as MakePlan counts them.
int DesiredTasks(const model::DesiredState& desired, const ObservedState& observed,
                 const model::Service& service);

}  // namespace stowage::plan
