#include "plan/drift.h"

#include "model/container_config.h"
#include "model/labels.h"

namespace stowage::plan {
namespace {

constexpr std::int64_t kMiB = 1024 * 1024;

std::string Bytes(std::int64_t bytes) {
  if (bytes == 0) return "none";
  if (bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::string Shares(std::int64_t shares) { return shares == 0 ? "none" : std::to_string(shares); }

// What `docker update` changed, or "".
std::string ConfigDrift(const std::string& name, const runtime::UpdatableConfig& got,
                        const runtime::UpdatableConfig& want) {
  if (got.memory_bytes != want.memory_bytes) {
    return name + " memory " + Bytes(got.memory_bytes) + " (defined " + Bytes(want.memory_bytes) +
           ")";
  }
  if (got.memory_reservation_bytes != want.memory_reservation_bytes) {
    return name + " memory reservation " + Bytes(got.memory_reservation_bytes) + " (defined " +
           Bytes(want.memory_reservation_bytes) + ")";
  }
  if (got.cpu_shares != want.cpu_shares) {
    return name + " cpu shares " + Shares(got.cpu_shares) + " (defined " + Shares(want.cpu_shares) +
           ")";
  }
  if (got.restart_policy != want.restart_policy) {
    return name + " restart policy " + got.restart_policy + " (defined " + want.restart_policy +
           ")";
  }
  return "";
}

}  // namespace

std::string TaskDrift(const std::string& cluster, const observe::ObservedTask& task,
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
    std::string name = labels::ContainerName(task.service, c.name, task.id);
    if (c.engine_name != name)
      return c.name + " renamed to " + c.engine_name + " (want " + name + ")";
    if (c.config) {
      std::string changed = ConfigDrift(c.name, *c.config, model::ExpectedConfig(*want));
      if (!changed.empty()) return changed;
    }
  }
  return "";
}

}  // namespace stowage::plan
