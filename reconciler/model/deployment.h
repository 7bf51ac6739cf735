// Deployment arithmetic: how many tasks a rolling deployment keeps and allows.
//
// The design's rule (docs/ARCHITECTURE.md, "Deployments"): at least
// ceil(desired x minimumHealthyPercent / 100) healthy tasks and at most
// floor(desired x maximumPercent / 100) tasks at any moment. A deployment
// replaces one task at a time at best, so it needs room for one: max - min >= 1.
// Shared by validation (check/, which rejects settings that can never make
// progress) and the planner (plan/rollout.h, which cuts a deployment into steps).
#pragma once

#include "model/service.h"

namespace stowage::model {

// ceil(desired * minimum_healthy_percent / 100)
int MinHealthyTasks(int desired, int minimum_healthy_percent);
// floor(desired * maximum_percent / 100)
int MaxRunningTasks(int desired, int maximum_percent);
// ECS: 0.5 x desired count, rounded up, at least 3 and at most 200.
int CircuitBreakerThreshold(int desired);

struct DeploymentBounds {
  int min_healthy = 0;
  int max_running = 0;
  // A deployment of `desired` tasks can take a step (always true for 0 tasks).
  bool CanProgress(int desired) const { return desired == 0 || max_running - min_healthy >= 1; }
};

DeploymentBounds ComputeDeploymentBounds(const DeploymentConfiguration& config, int desired);

}  // namespace stowage::model
