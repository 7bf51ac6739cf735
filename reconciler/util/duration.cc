#include "util/duration.h"

#include <charconv>

namespace stowage {

Result<std::chrono::milliseconds> ParseDuration(const std::string& text) {
  long long n = 0;
  const char* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, n);
  const std::string unit(rest, end);
  long long scale = 0;
  if (unit.empty() || unit == "s") scale = 1000;
  if (unit == "ms") scale = 1;
  if (unit == "m") scale = 60'000;
  if (unit == "h") scale = 3'600'000;
  if (ec != std::errc() || n < 0 || scale == 0 || rest == text.data()) {
    return Status::Invalid("expected a duration like 500ms, 15s, 2m or 1h, got \"" + text + "\"");
  }
  return std::chrono::milliseconds(n * scale);
}

}  // namespace stowage
