#include "model/deployment.h"

#include <algorithm>

namespace stowage::model {

int MinHealthyTasks(int desired, int minimum_healthy_percent) {
  long long product = static_cast<long long>(desired) * minimum_healthy_percent;
  return static_cast<int>((product + 99) / 100);
}

int MaxRunningTasks(int desired, int maximum_percent) {
  return static_cast<int>(static_cast<long long>(desired) * maximum_percent / 100);
}

int CircuitBreakerThreshold(int desired) { return std::clamp((desired + 1) / 2, 3, 200); }

DeploymentBounds ComputeDeploymentBounds(const DeploymentConfiguration& config, int desired) {
  DeploymentBounds b;
  b.min_healthy = MinHealthyTasks(desired, config.minimum_healthy_percent);
  b.max_running = MaxRunningTasks(desired, config.maximum_percent);
  return b;
}

}  // namespace stowage::model
