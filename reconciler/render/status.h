// Rendering the fleet's status (status/fleet_status.h) for `stowage status`:
// StatusText (tables, per service then per host) and StatusJson (`--json`,
// also the watcher's /status fleet object).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "status/fleet_status.h"

namespace stowage::render {

std::string StatusText(const status::FleetStatus& status);
nlohmann::ordered_json StatusJson(const status::FleetStatus& status);

}  // namespace stowage::render
