#include "util/base64.h"

namespace stowage {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string Base64Encode(std::string_view bytes, Base64Padding padding) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    unsigned v = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    }
    for (std::size_t k = 0; k <= n; ++k) out += kAlphabet[(v >> (18 - 6 * k)) & 63];
    if (padding == Base64Padding::kRequired) out.append(3 - n, '=');
  }
  return out;
}

std::optional<std::string> Base64DecodeStrict(std::string_view text, Base64Padding padding) {
  if (padding == Base64Padding::kRequired) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t pad = 0;
    while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
    text.remove_suffix(pad);
    if (pad > 0 && text.size() % 4 != 4 - pad) return std::nullopt;
  }
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned v = 0;
  int bits = 0;
  for (char c : text) {
    const int d = Digit(c);
    if (d < 0) return std::nullopt;
    v = ((v << 6) | static_cast<unsigned>(d)) & 0xffffu;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xff);
    }
  }
  // Canonical: the bits left over after the last whole byte are zero.
  if (bits > 0 && (v & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace stowage
