// Value: the positioned document tree every loader produces.
//
// JSON and YAML documents are parsed into this one tree so that schema checks
// and decoding never care which syntax a file used, and every value and every
// object key can be traced back to its file, line and column. Objects keep the
// keys in the order they were written; duplicate keys are rejected by the
// parsers. Scalars keep their text as written plus whether they were quoted
// (so "256" given as a string stays distinguishable from 256, the ECS "numbers
// as strings" rule). To keep loading cheap, a value holds a pointer to its
// file's name (owned by the ParsedFile, see load/parse.h) instead of a copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"

namespace stowage::load {

// A compact place in a file: `file` outlives the value (owned by ParsedFile).
struct Loc {
  const std::string* file = nullptr;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in characters
  Position ToPosition() const;
};

struct Member;

class Value {
 public:
  enum class Kind : std::uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind = Kind::kNull;
  // Scalars written quoted (YAML '..' / "..", every JSON string).
  bool quoted = false;
  Loc loc;
  // Scalars: the text as written ("true", "256", "1e3", the string's content).
  std::string text;
  std::vector<Value> items;     // kArray
  std::vector<Member> members;  // kObject, in written order

  bool IsNull() const { return kind == Kind::kNull; }
  bool IsObject() const { return kind == Kind::kObject; }
  bool IsArray() const { return kind == Kind::kArray; }
  bool IsString() const { return kind == Kind::kString; }
  bool IsScalar() const { return kind != Kind::kArray && kind != Kind::kObject; }
  bool AsBool() const { return kind == Kind::kBool && text == "true"; }

  // Object member by key, or nullptr.
  const Value* Find(std::string_view key) const;
  const Member* FindMember(std::string_view key) const;

  // A number, or a string holding one ("256", " 3 "): the ECS rule.
  std::optional<long long> ToInteger() const;
  std::optional<double> ToDouble() const;
  // True for a string that ToInteger/ToDouble accept.
  bool IsNumericString() const;

  // For messages: "three" quoted, 42, true, null, "an array of 3 items", "an object".
  std::string Describe() const;
  // Kind in plain words: "a string", "a number", "an array" ...
  static const char* KindName(Kind kind);
};

struct Member {
  std::string key;
  Loc key_loc;
  Value value;
};

// Parses a whole decimal integer/float literal (JSON grammar, surrounding
// blanks allowed). Used for YAML plain scalars and numeric strings.
std::optional<long long> ParseInteger(std::string_view text);
std::optional<double> ParseNumber(std::string_view text);

}  // namespace stowage::load
