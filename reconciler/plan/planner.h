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
// answer are warnings and their tasks are never touched; whether they are
// rescheduled depends on how long the host has been down (PlanOptions).
// A plan that would stop more than half of all running tasks carries an error
// unless allow_mass_delete is set.
//
// Deterministic: task ids and random placement derive from the inputs, so the
// same inputs give byte-identical plan JSON.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "observe/observed.h"
#include "plan/plan.h"

namespace stowage::plan {

struct PlanOptions {
  bool prune = false;  // remove tasks of services no longer in the source (or cluster prune)
  bool allow_mass_delete = false;
  std::vector<std::string> targets{};  // only these services; empty: all
  std::uint64_t seed = 0;              // mixed into task ids and random placement

  // Unreachable hosts (docs/ARCHITECTURE.md, Safety rules). A host down for less than the
  // grace keeps its place: the tasks the observed state knows it runs
  // (ObservedHost::remembered, carried over by a caller with memory, see
  // plan/host_memory.h) count as running; when it knows none, a service short of
  // tasks is not topped up (they may run there) and the plan says so. A host down
  // for the grace or longer counts as empty: its tasks are replaced on the other
  // hosts; when it answers again the surplus is scaled in as usual.
  // Down for `now - down_since[host]`; a host missing from down_since went down
  // just now (the one-shot commands, which have no memory, pass none).
  using Time = std::chrono::steady_clock::time_point;
  std::map<std::string, Time> down_since{};
  Time now{};
  std::optional<std::chrono::seconds> unreachable_grace{};  // unset: the cluster file's
};

// "5m0s"-style text of a grace, for messages ("300s" -> "5m", "90s" -> "1m30s").
std::string GraceText(std::chrono::seconds grace);

Plan MakePlan(const model::DesiredState& desired, const observe::ObservedState& observed,
              const PlanOptions& options);

// The number of tasks the planner aims at for `service` on this fleet: its
// desiredCount (REPLICA), or the hosts a DAEMON service is placed on (reachable,
// active and passing its memberOf constraints), as MakePlan counts them.
int DesiredTasks(const model::DesiredState& desired, const observe::ObservedState& observed,
                 const model::Service& service);

}  // namespace stowage::plan
