#include "check/position.h"

namespace stowage::check {

std::string Where(const Position& p, const Position& from) {
  if (p.file != from.file || p.line == 0) return FormatPosition(p);
  std::string out = "line " + std::to_string(p.line);
  if (p.column > 0) out += ", column " + std::to_string(p.column);
  return out;
}

std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace stowage::check
