// Rollout arithmetic: how a deployment is cut into steps (pure, counts only).
//
// Given how many tasks a service wants, how many of the old revision and of
// the new one run now, its minimumHealthyPercent / maximumPercent and how many
// more tasks the cluster can hold, PlanRollout returns the ordered steps of the
// rolling replacement: each step starts some new tasks (which must become
// healthy), then stops some old ones. At no moment are fewer than
// ceil(desired * min / 100) tasks healthy (counting tasks still running of
// either revision) nor more than floor(desired * max / 100) running. The
// planner turns these counts into placed actions (plan/planner.h). The bounds
// themselves are model/deployment.h's, shared with validation.
#pragma once

#include <climits>
#include <string>
#include <vector>

#include "model/deployment.h"

namespace stowage::plan {

inline constexpr int kUnlimitedCapacity = INT_MAX / 4;

struct RolloutInput {
  int desired = 0;
  int old_tasks = 0;  // running tasks of other revisions, all to be replaced
  int new_tasks = 0;  // healthy tasks of the target revision already running
  int minimum_healthy_percent = 100;
  int maximum_percent = 200;
  // Tasks the cluster can hold beyond the ones running now; each stopped old
  // task frees room for one more.
  int capacity = kUnlimitedCapacity;
};

struct RolloutStep {
  int start = 0;  // new tasks started (and awaited healthy) first
  int stop = 0;   // then old tasks stopped
};

struct Rollout {
  int min_healthy = 0;
  int max_running = 0;
  std::vector<RolloutStep> steps;
  // Empty when the steps reach `desired` new tasks and no old ones; otherwise
  // why the rollout cannot go further (the steps so far are still valid).
  std::string stuck;
};

Rollout PlanRollout(const RolloutInput& in);

}  // namespace stowage::plan
