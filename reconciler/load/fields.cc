#include "load/fields.h"

#include <climits>

namespace stowage::load {

std::string Fields::PathOf(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

Position Fields::PositionOf(const char* key) const {
  const Value* v = Get(key);
  return (v ? v->loc : object_.loc).ToPosition();
}

Position Fields::PositionIfGiven(const char* key) const {
  const Value* v = Get(key);
  return v ? v->loc.ToPosition() : Position{};
}

std::string Fields::String(const char* key, const std::string& fallback) const {
  const Value* v = Get(key);
  return v && v->IsScalar() && !v->IsNull() ? v->text : fallback;
}

bool Fields::Bool(const char* key, bool fallback) const {
  const Value* v = Get(key);
  return v && v->kind == Value::Kind::kBool ? v->AsBool() : fallback;
}

std::optional<int> Fields::OptionalInt(const char* key) const {
  const Value* v = Get(key);
  if (!v || v->IsNull()) return std::nullopt;
  auto n = v->ToInteger();
  if (!n || *n > INT_MAX || *n < INT_MIN) {
    diags_.Error(v->loc.ToPosition(),
                 PathOf(key) + ": expected an integer below 2147483648, got " + v->Describe());
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

long long Fields::Long(const char* key) const {
  const Value* v = Get(key);
  auto n = v ? v->ToInteger() : std::nullopt;
  return n.value_or(0);
}

std::vector<std::string> Fields::Strings(const char* key) const {
  std::vector<std::string> out;
  const Value* v = Get(key);
  if (!v || !v->IsArray()) return out;
  out.reserve(v->items.size());
  for (const auto& item : v->items) out.push_back(item.text);
  return out;
}

std::map<std::string, std::string> Fields::StringMap(const char* key) const {
  std::map<std::string, std::string> out;
  const Value* v = Get(key);
  if (!v || !v->IsObject()) return out;
  for (const auto& m : v->members) out[m.key] = m.value.text;
  return out;
}

std::map<std::string, std::string> Fields::Tags(const char* key) const {
  std::map<std::string, std::string> out;
  ForEachItem(*this, key, [&](const Fields& tag, const Value&) {
    out[tag.String("key")] = tag.String("value");
  });
  return out;
}

}  // namespace stowage::load
