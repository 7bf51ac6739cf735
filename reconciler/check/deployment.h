// Deployment bounds: how many tasks a rolling deployment keeps and allows.
//
// DESIGN.md, Deployments: at least ceil(desired x minimumHealthyPercent / 100)
// healthy tasks and at most floor(desired x maximumPercent / 100) tasks at any
// moment. A deployment replaces one task at a time at best, so it needs room
// for one: max - min >= 1. Shared by validation (which rejects settings that
// can never make progress) and the planner (which plans the steps).
#pragma once

#include "model/service.h"

namespace stowage::check {

struct DeploymentBounds {
  int min_healthy = 0;
  int max_running = 0;
  // A deployment of `desired` tasks can take a step (always true for 0 tasks).
  bool CanProgress(int desired) const { return desired == 0 || max_running - min_healthy >= 1; }
};

DeploymentBounds ComputeDeploymentBounds(const model::DeploymentConfiguration& config, int desired);

}  // namespace stowage::check
