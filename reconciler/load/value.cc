#include "load/value.h"

#include <charconv>
#include <cmath>

#include "util/printable.h"

namespace stowage::load {
namespace {

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; '+' allowed too.
bool IsNumberLiteral(std::string_view s, bool* integral) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  const size_t digits_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == digits_start) return false;
  *integral = true;
  if (i < s.size() && s[i] == '.') {
    *integral = false;
    const size_t frac = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    *integral = false;
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const size_t exp = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == exp) return false;
  }
  return i == s.size();
}

}  // namespace

Position Loc::ToPosition() const { return Position{file ? *file : std::string(), line, column}; }

std::optional<long long> ParseInteger(std::string_view text) {
  text = TrimBlanks(text);
  bool integral = false;
  if (!IsNumberLiteral(text, &integral) || !integral) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  long long out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return out;
}

std::optional<double> ParseNumber(std::string_view text) {
  text = TrimBlanks(text);
  bool integral = false;
  if (!IsNumberLiteral(text, &integral)) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(out)) {
    return std::nullopt;
  }
  return out;
}

const Member* Value::FindMember(std::string_view key) const {
  if (kind != Kind::kObject) return nullptr;
  for (const auto& m : members) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

const Value* Value::Find(std::string_view key) const {
  const Member* m = FindMember(key);
  return m ? &m->value : nullptr;
}

std::optional<long long> Value::ToInteger() const {
  if (kind != Kind::kNumber && kind != Kind::kString) return std::nullopt;
  return ParseInteger(text);
}

std::optional<double> Value::ToDouble() const {
  if (kind != Kind::kNumber && kind != Kind::kString) return std::nullopt;
  return ParseNumber(text);
}

bool Value::IsNumericString() const { return kind == Kind::kString && ToDouble().has_value(); }

const char* Value::KindName(Kind k) {
  switch (k) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "a boolean";
    case Kind::kNumber:
      return "a number";
    case Kind::kString:
      return "a string";
    case Kind::kArray:
      return "an array";
    case Kind::kObject:
      return "an object";
  }
  return "a value";
}

std::string Value::Describe() const {
  constexpr size_t kMax = 40;
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
    case Kind::kNumber:
      return text;
    case Kind::kString: {
      std::string out = "\"";
      for (char c : text.substr(0, kMax)) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out = Printable(out);
      if (text.size() > kMax) out += "...";
      return out + "\"";
    }
    case Kind::kArray:
      return "an array of " + std::to_string(items.size()) +
             (items.size() == 1 ? " item" : " items");
    case Kind::kObject:
      return "an object";
  }
  return "a value";
}

}  // namespace stowage::load
