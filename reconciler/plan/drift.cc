#include "plan/drift.h"

#include "apply/container_spec.h"
#include "model/labels.h"

namespace stowage::plan {

std::string TaskDrift(const std::string& cluster, const ObservedTask& task,
                      const model::TaskDefinition& td) {
  apply::TaskIdentity id{cluster, task.host, task.service, task.id, task.standalone};
  auto spec = apply::BuildTaskSpec(
      td, id, [](const std::string&) -> Result<std::string> { return std::string(); });
  if (!spec.ok()) return "";  // validation reports broken definitions
  for (const auto& c : task.containers) {
    const apply::ContainerPlan* want = spec->Find(c.name);
    if (want == nullptr) return c.name + " is not in the task definition";
    // The dockerLabels and the family: what a hand-made copy would get wrong.
    // Other io.stowage.* labels are bookkeeping, absent on older containers.
    for (const auto& [key, value] : want->spec.labels) {
      bool user = want->definition->docker_labels.count(key) > 0;
      if (!user && key != labels::kFamily) continue;
      auto it = c.labels.find(key);
      if (it == c.labels.end()) return c.name + " label " + key + " missing";
      if (it->second != value) return c.name + " label " + key + " changed";
    }
    auto hash = want->spec.labels.find(labels::kSpecHash);
    if (!c.spec_hash.empty() && hash != want->spec.labels.end() && c.spec_hash != hash->second) {
      return c.name + " spec changed";
    }
  }
  return "";
}

}  // namespace stowage::plan
