// Hasher: a stable, fast content hash (FNV-1a 128-bit folded from two 64-bit
// lanes) for revisions, fingerprints and seeds. Not cryptographic: it names
// content, it does not protect it. Every field added is length-prefixed so
// ("ab","c") and ("a","bc") differ.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stowage {

class Hasher {
 public:
  Hasher& Add(std::string_view bytes);
  Hasher& Add(std::int64_t number);
  std::uint64_t Digest64() const { return a_ ^ (b_ * 0x9e3779b97f4a7c15ULL); }
  // 32 lowercase hex characters.
  std::string HexDigest() const;

 private:
  void Mix(unsigned char byte);
  std::uint64_t a_ = 0xcbf29ce484222325ULL;
  std::uint64_t b_ = 0x84222325cbf29ce4ULL;
};

}  // namespace stowage
