// Parsing files into positioned Value trees (JSON and YAML).
//
// ParseFile picks the syntax from the file name (*.json is JSON, *.yaml/*.yml
// YAML with any number of `---` documents) and turns syntax errors into
// diagnostics `path:line:col: error: ...`. Parsing never throws, never
// crashes and never hangs: files, nesting depth and the number of values
// (which also bounds YAML alias expansion) are limited.
//
// JSON has its own small strict parser (RFC 8259): it gives every value and
// key an exact position, rejects duplicate keys, comments and trailing commas,
// reads tabs like any JSON reader, and is several times faster than going
// through a YAML parser. YAML goes through yaml-cpp's event parser straight
// into Values (no intermediate YAML::Node graph).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "load/value.h"
#include "source/source.h"

namespace stowage::load {

inline constexpr size_t kMaxFileBytes = kMaxDocumentBytes;  // 8 MiB
inline constexpr int kMaxDepth = 100;
inline constexpr size_t kMaxValues = 1'000'000;  // per file, aliases expanded

struct ParsedFile {
  // Owns the file name every Loc in `documents` points at (stable address).
  std::unique_ptr<const std::string> path;
  std::vector<Value> documents;  // null YAML documents (empty, comments only) are dropped
};

// Syntax problems go to `diags`; on a syntax error the file has no documents.
ParsedFile ParseFile(std::string path, std::string_view text, Diagnostics& diags);

// The two syntaxes; false on a syntax error (already reported).
bool ParseJson(std::string_view text, const std::string* file, std::vector<Value>& out,
               Diagnostics& diags);
bool ParseYaml(std::string_view text, const std::string* file, std::vector<Value>& out,
               Diagnostics& diags);

// Reports duplicate keys of `object` (an error at each later key); false if any.
bool CheckDuplicateKeys(const Value& object, Diagnostics& diags);

}  // namespace stowage::load
