#include "model/container_config.h"

namespace stowage::model {

UpdatableConfig ExpectedConfig(const ContainerDefinition& c) {
  constexpr std::int64_t kMiB = 1024 * 1024;
  UpdatableConfig config;
  config.cpu_shares = c.cpu;
  if (c.memory) config.memory_bytes = *c.memory * kMiB;
  if (c.memory_reservation) config.memory_reservation_bytes = *c.memory_reservation * kMiB;
  return config;
}

}  // namespace stowage::model
