#include "util/hash.h"

#include <cstdio>

namespace stowage {

void Hasher::Mix(unsigned char byte) {
  a_ = (a_ ^ byte) * 0x100000001b3ULL;
  b_ = (b_ ^ static_cast<unsigned char>(byte + 0x5b)) * 0x100000001b3ULL;
  b_ ^= b_ >> 29;
}

Hasher& Hasher::Add(std::string_view bytes) {
  Add(static_cast<std::int64_t>(bytes.size()));
  for (char c : bytes) Mix(static_cast<unsigned char>(c));
  return *this;
}

Hasher& Hasher::Add(std::int64_t number) {
  auto u = static_cast<std::uint64_t>(number);
  for (int i = 0; i < 8; ++i) Mix(static_cast<unsigned char>((u >> (8 * i)) & 0xff));
  return *this;
}

std::string Hasher::HexDigest() const {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(a_),
                static_cast<unsigned long long>(b_));
  return buf;
}

}  // namespace stowage
