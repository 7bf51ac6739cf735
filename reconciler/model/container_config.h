// Container configuration: what a container built from a definition must keep.
//
// UpdatableConfig is the part of a container's configuration that `docker
// update` can change in place (cpu shares, memory limit and reservation,
// restart policy). ExpectedConfig says what a container built from a
// ContainerDefinition carries: the applier creates containers with exactly
// these values (apply/container_spec.h), the engine reports them back on
// inspect (runtime::ContainerDetails::config), and the planner compares the
// two to see drift (plan/drift.h). It lives here, in the model, so that the
// planner and the applier share it without depending on each other.
#pragma once

#include <cstdint>
#include <string>

#include "model/task_definition.h"

namespace stowage::model {

struct UpdatableConfig {
  std::int64_t cpu_shares = 0;                // 0: unset
  std::int64_t memory_bytes = 0;              // 0: unset
  std::int64_t memory_reservation_bytes = 0;  // 0: unset
  std::string restart_policy = "no";          // no | always | on-failure | unless-stopped
  bool operator==(const UpdatableConfig&) const = default;
};

// What a container built from `c` reports as its updatable configuration
// (cpu shares, memory limits, restart policy "no").
UpdatableConfig ExpectedConfig(const ContainerDefinition& c);

}  // namespace stowage::model
