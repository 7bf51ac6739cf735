// Small helpers the checks share to place and phrase their diagnostics.
#pragma once

#include <string>

#include "diag/diagnostic.h"

namespace stowage::check {

// `precise` when the decoder recorded it (line > 0), else `fallback`.
inline const Position& Best(const Position& precise, const Position& fallback) {
  return precise.line > 0 ? precise : fallback;
}

// Where `p` is, as seen from a diagnostic at `from`, for "already defined at
// ..." messages: "line 3, column 11" in the same file, else "file:3:11"
// (the file relative to the source).
std::string Where(const Position& p, const Position& from);

// `"text"` with quotes and backslashes escaped.
std::string Quote(const std::string& text);

}  // namespace stowage::check
