#include "check/position.h"

namespace stowage::check {

std::string Where(const Position& p) {
  std::string out = p.file;
  if (p.line > 0) {
    out += ":" + std::to_string(p.line);
    if (p.column > 0) out += ":" + std::to_string(p.column);
  }
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
