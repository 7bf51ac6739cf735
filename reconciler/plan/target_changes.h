// Target changes: what a plan does to the load balancers' target groups (pure).
//
// A plan shows, per target group, the targets it registers and deregisters,
// computed from the desired state, what runs (observe/) and what each
// balancer's pool holds (targets::TargetListing, read by the caller): the
// targets after the plan are the running tasks of bound services, less the
// tasks the plan stops or removes, plus the tasks it starts (their address is
// known once they run: address "" and port 0). targets::DiffTargets against
// the pool then gives both lists; a deregistered task the plan stops carries
// the plan's reason ("scale in 3 -> 2"), a registered one it starts "new task
// (REASON)", one that runs but is not in the pool "missing from the
// balancer". Targets left draining or in maintenance by hand are not listed
// (apply makes them ready). A pool that could not be read is
// assumed to hold exactly the running tasks' targets, and says why (`error`).
// Targets of tasks on unreachable hosts are left alone, as apply leaves them.
//
// UnlistedBalancers says, once per balancer, which groups' pools could not be
// read: `stowage plan`'s warnings (a dry run is made with a balancer down).
#pragma once

#include <string>
#include <vector>

#include "model/desired_state.h"
#include "observe/observed.h"
#include "plan/plan.h"
#include "targets/targets.h"

namespace stowage::plan {

// The target groups with something to register or deregister (or a pool that
// could not be read), by (balancer, group) in the cluster file's order.
// `listing`: the pools as read; nullptr when the balancers were not asked
// (every pool is then assumed to hold the running tasks, without an error).
std::vector<TargetGroupPlan> PlanTargetChanges(const Plan& plan, const model::DesiredState& desired,
                                               const observe::ObservedState& observed,
                                               const targets::TargetListing* listing);

// One line per balancer with a pool that could not be read, from the groups
// PlanTargetChanges made: "load balancer edge: the target changes of web-tg,
// api-tg could not be listed (ERROR): shown are the plan's own starts and
// stops" (ERROR: its first such group's).
std::vector<std::string> UnlistedBalancers(const std::vector<TargetGroupPlan>& groups);

}  // namespace stowage::plan
