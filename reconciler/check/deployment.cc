#include "check/deployment.h"

#include "plan/rollout.h"

namespace stowage::check {

DeploymentBounds ComputeDeploymentBounds(const model::DeploymentConfiguration& config,
                                         int desired) {
  DeploymentBounds b;
  b.min_healthy = plan::MinHealthyTasks(desired, config.minimum_healthy_percent);
  b.max_running = plan::MaxRunningTasks(desired, config.maximum_percent);
  return b;
}

}  // namespace stowage::check
