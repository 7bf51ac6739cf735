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

namespace {
constexpr std::string_view kRetired = ".retired-";

// Where the ".retired-<digits>" suffix of `name` starts, or npos.
std::size_t RetiredSuffix(std::string_view name) {
  std::size_t at = name.rfind(kRetired);
  if (at == std::string_view::npos || at == 0) return std::string_view::npos;
  std::string_view digits = name.substr(at + kRetired.size());
  if (digits.empty() || digits.size() > 18) return std::string_view::npos;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::string_view::npos;
  }
  return at;
}
}  // namespace

std::string RetiredName(const std::string& name, std::int64_t deadline_unix) {
  return UnretiredName(name) + std::string(kRetired) + std::to_string(deadline_unix);
}

std::optional<std::int64_t> RetiredDeadline(std::string_view name) {
  std::size_t at = RetiredSuffix(name);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view digits = name.substr(at + kRetired.size());
  std::int64_t out = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return out;
}

std::string UnretiredName(std::string_view name) {
  std::size_t at = RetiredSuffix(name);
  return std::string(at == std::string_view::npos ? name : name.substr(0, at));
}

}  // namespace stowage::labels
