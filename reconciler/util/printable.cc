#include "util/printable.h"

namespace stowage {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool IsC0(unsigned char c) { return c < 0x20 || c == 0x7f; }

// A C1 control encoded in UTF-8: 0xC2 followed by 0x80..0x9F.
bool IsC1At(std::string_view text, size_t i) {
  return static_cast<unsigned char>(text[i]) == 0xc2 && i + 1 < text.size() &&
         static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(text[i + 1]) <= 0x9f;
}

void AppendC0(unsigned char c, std::string& out) {
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
  }
}

}  // namespace

bool HasControl(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsC0(static_cast<unsigned char>(text[i])) || IsC1At(text, i)) return true;
  }
  return false;
}

std::string Printable(std::string_view text) {
  if (!HasControl(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (IsC0(c)) {
      AppendC0(c, out);
    } else if (IsC1At(text, i)) {
      const auto c1 = static_cast<unsigned char>(text[++i]);
      out += "\\u00";
      out += kHex[c1 >> 4];
      out += kHex[c1 & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace stowage
