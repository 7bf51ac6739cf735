#include "model/task_definition.h"

namespace stowage::model {

int TaskDefinition::CpuUnits() const {
  if (cpu) return *cpu;
  int sum = 0;
  for (const auto& c : containers) sum += c.cpu;
  return sum;
}

int TaskDefinition::MemoryMiB() const {
  if (memory) return *memory;
  int sum = 0;
  for (const auto& c : containers) {
    if (c.memory_reservation) {
      sum += *c.memory_reservation;
    } else if (c.memory) {
      sum += *c.memory;
    }
  }
  return sum;
}

const ContainerDefinition* TaskDefinition::FindContainer(const std::string& name) const {
  for (const auto& c : containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const char* NetworkModeName(NetworkMode m) {
  switch (m) {
    case NetworkMode::kBridge:
      return "bridge";
    case NetworkMode::kHost:
      return "host";
    case NetworkMode::kNone:
      return "none";
  }
  return "bridge";
}

const char* DependencyConditionName(DependencyCondition c) {
  switch (c) {
    case DependencyCondition::kStart:
      return "START";
    case DependencyCondition::kComplete:
      return "COMPLETE";
    case DependencyCondition::kSuccess:
      return "SUCCESS";
    case DependencyCondition::kHealthy:
      return "HEALTHY";
  }
  return "START";
}

}  // namespace stowage::model
