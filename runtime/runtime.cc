#include "runtime/runtime.h"

namespace stowage::runtime {

const char* ContainerStateName(ContainerState s) {
  switch (s) {
    case ContainerState::kCreated:
      return "created";
    case ContainerState::kRunning:
      return "running";
    case ContainerState::kPaused:
      return "paused";
    case ContainerState::kRestarting:
      return "restarting";
    case ContainerState::kExited:
      return "exited";
    case ContainerState::kDead:
      return "dead";
    case ContainerState::kRemoving:
      return "removing";
  }
  return "unknown";
}

const char* HealthName(Health h) {
  switch (h) {
    case Health::kNone:
      return "none";
    case Health::kStarting:
      return "starting";
    case Health::kHealthy:
      return "healthy";
    case Health::kUnhealthy:
      return "unhealthy";
  }
  return "none";
}

}  // namespace stowage::runtime
