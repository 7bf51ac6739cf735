#include "model/labels.h"

#include <charconv>

#include "util/printable.h"

namespace stowage::labels {

Result<std::int64_t> IntLabel(const std::map<std::string, std::string>& labels, const char* key,
                              std::int64_t fallback, std::int64_t max) {
  auto it = labels.find(key);
  if (it == labels.end() || it->second.empty()) return fallback;
  const std::string& v = it->second;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || out < 0 || out > max) {
    return Status::Invalid(std::string("label ") + key + ": expected an integer from 0 to " +
                           std::to_string(max) + ", got \"" + Printable(v.substr(0, 64)) + "\"");
  }
  return out;
}

}  // namespace stowage::labels
