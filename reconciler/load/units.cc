// ECS task-level cpu and memory spellings.
#include <cctype>
#include <cmath>
#include <string>

#include "load/decode.h"

namespace stowage::load {
namespace {

std::string Lowercase(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t')
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// "0.5vcpu" -> {0.5, "vcpu"}; nullopt when there is no leading number.
std::optional<std::pair<double, std::string>> SplitNumber(std::string_view text) {
  const std::string s = Lowercase(text);
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  auto number = ParseNumber(s.substr(0, i));
  if (!number) return std::nullopt;
  return std::make_pair(*number, s.substr(i));
}

std::optional<int> WholePositive(double x) {
  const double rounded = std::round(x);
  if (rounded < 1 || rounded > 2147483647.0 || std::fabs(rounded - x) > 1e-9) return std::nullopt;
  return static_cast<int>(rounded);
}

}  // namespace

std::optional<int> ParseCpuUnits(std::string_view text) {
  auto split = SplitNumber(text);
  if (!split) return std::nullopt;
  if (split->second.empty()) return WholePositive(split->first);
  if (split->second == "vcpu") return WholePositive(split->first * 1024);
  return std::nullopt;
}

std::optional<int> ParseMemoryMiB(std::string_view text) {
  auto split = SplitNumber(text);
  if (!split) return std::nullopt;
  const std::string& unit = split->second;
  if (unit.empty() || unit == "mb" || unit == "mib") return WholePositive(split->first);
  if (unit == "gb" || unit == "gib") return WholePositive(split->first * 1024);
  return std::nullopt;
}

}  // namespace stowage::load
