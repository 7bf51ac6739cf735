// Fields: typed reads from an object that passed its schema check.
//
// The decoders use it to turn checked Values into model structs. Because the
// schema already vouched for the shapes, reads only have to apply the ECS
// spelling rules (numbers as strings, scalars as text) and catch what a
// schema cannot say, like an integer too large for the model.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "load/value.h"

namespace stowage::load {

class Fields {
 public:
  Fields(const Value& object, std::string path, Diagnostics& diags)
      : object_(object), path_(std::move(path)), diags_(diags) {}

  const Value* Get(const char* key) const { return object_.Find(key); }
  // "containerDefinitions[0].memory" style, for messages.
  std::string PathOf(const std::string& key) const;
  const std::string& path() const { return path_; }
  Diagnostics& diags() const { return diags_; }
  // The value's position, or the object's when the key is absent.
  Position PositionOf(const char* key) const;
  // The value's position, or an unknown one (line 0) when the key is absent.
  Position PositionIfGiven(const char* key) const;

  std::string String(const char* key, const std::string& fallback = "") const;
  bool Bool(const char* key, bool fallback) const;
  std::optional<int> OptionalInt(const char* key) const;
  int Int(const char* key, int fallback) const { return OptionalInt(key).value_or(fallback); }
  long long Long(const char* key) const;
  std::vector<std::string> Strings(const char* key) const;
  std::map<std::string, std::string> StringMap(const char* key) const;
  // ECS tags: [{key, value}].
  std::map<std::string, std::string> Tags(const char* key) const;

 private:
  const Value& object_;
  std::string path_;
  Diagnostics& diags_;
};

// Visits each object item of array `key`, with its Fields ("path[i]").
template <typename F>
void ForEachItem(const Fields& fields, const char* key, F&& f) {
  const Value* array = fields.Get(key);
  if (!array || !array->IsArray()) return;
  for (size_t i = 0; i < array->items.size(); ++i) {
    const Value& item = array->items[i];
    if (!item.IsObject()) continue;
    f(Fields(item, fields.PathOf(key) + "[" + std::to_string(i) + "]", fields.diags()), item);
  }
}

}  // namespace stowage::load
