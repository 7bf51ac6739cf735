// Small helpers the checks share to place and phrase their diagnostics.
#pragma once

#include <string>

#include "diag/diagnostic.h"

namespace stowage::check {

// `precise` when the decoder recorded it (line > 0), else `fallback`.
inline const Position& Best(const Position& precise, const Position& fallback) {
  return precise.line > 0 ? precise : fallback;
}

// "file:line:col" for "already defined at ..." messages.
std::string Where(const Position& p);

// `"text"` with quotes and backslashes escaped.
std::string Quote(const std::string& text);

}  // namespace stowage::check
