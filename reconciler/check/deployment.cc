#include "check/deployment.h"

namespace stowage::check {

DeploymentBounds ComputeDeploymentBounds(const model::DeploymentConfiguration& config,
                                         int desired) {
  const long long d = desired;
  DeploymentBounds b;
  // Integer ceil/floor of desired * percent / 100, for non-negative values.
  b.min_healthy = static_cast<int>((d * config.minimum_healthy_percent + 99) / 100);
  b.max_running = static_cast<int>((d * config.maximum_percent) / 100);
  return b;
}

}  // namespace stowage::check
