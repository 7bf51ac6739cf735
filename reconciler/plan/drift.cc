#include "plan/drift.h"

#include "model/labels.h"

namespace stowage::plan {

std::string TaskDrift(const std::string& cluster, const ObservedTask& task,
                      const model::TaskDefinition& td) {
  (void)cluster;
  for (const auto& c : task.containers) {
    const model::ContainerDefinition* want = td.FindContainer(c.name);
    if (want == nullptr) return c.name + " is not in the task definition";
    auto family = c.labels.find(labels::kFamily);
    if (family == c.labels.end()) return c.name + " label " + labels::kFamily + " missing";
    if (family->second != td.family) return c.name + " label " + labels::kFamily + " changed";
    for (const auto& [key, value] : want->docker_labels) {
      auto it = c.labels.find(key);
      if (it == c.labels.end()) return c.name + " label " + key + " missing";
      if (it->second != value) return c.name + " label " + key + " changed";
    }
  }
  return "";
}

}  // namespace stowage::plan
