// Durations on the command line: "500ms", "15s", "2m", "1h", or plain seconds.
#pragma once

#include <chrono>
#include <string>

#include "base/status.h"

namespace stowage {

Result<std::chrono::milliseconds> ParseDuration(const std::string& text);

}  // namespace stowage
