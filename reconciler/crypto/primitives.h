// Primitives: the few libcrypto (OpenSSL) operations stowage's age code needs.
//
// X25519, HKDF-SHA-256, HMAC-SHA-256, ChaCha20-Poly1305 (RFC 7539), random
// bytes, a constant-time comparison and wiping, behind plain functions that
// return errors as values. Key32 is a 32-byte key that wipes itself; keys are
// never printed. Nothing here knows about file formats (see crypto/age.h).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace stowage::crypto {

// A 32-byte key or curve point, wiped when it goes out of scope.
struct Key32 {
  std::array<unsigned char, 32> bytes{};
  Key32() = default;
  Key32(const Key32&) = default;
  Key32& operator=(const Key32&) = default;
  ~Key32();
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
  // From exactly 32 bytes; nullopt-like failure as a Status.
  static Result<Key32> From(std::string_view raw);
};

using Nonce12 = std::array<unsigned char, 12>;

// Overwrites `n` bytes at `p` with zeros in a way the compiler keeps.
void Wipe(void* p, std::size_t n);
// Wipes the string's bytes, then empties it.
void Wipe(std::string& s);

// A byte string that wipes itself: decrypted plaintext and file keys.
class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) {
    other.value_.clear();
  }
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString() { Wipe(value_); }
  const std::string& str() const { return value_; }
  std::string& mutable_str() { return value_; }

 private:
  std::string value_;
};

// True when a and b have the same length and bytes; the time taken does not
// depend on where they differ.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

Status RandomBytes(unsigned char* out, std::size_t n);
Result<Key32> RandomKey();

// X25519(scalar, point) of RFC 7748. Fails on an all-zero result (a
// low-order point), as age requires.
Result<Key32> X25519(const Key32& scalar, const Key32& point);
// X25519(scalar, basepoint): the public key of a secret scalar.
Result<Key32> X25519Base(const Key32& scalar);

// HKDF-SHA-256 (RFC 5869) with 32 bytes of output; an empty salt is the
// RFC's default (32 zero bytes).
Result<Key32> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info);

// HMAC-SHA-256: 32 bytes.
std::string HmacSha256(std::string_view key, std::string_view message);

// ChaCha20-Poly1305: ciphertext || 16-byte tag.
Result<std::string> Seal(const Key32& key, const Nonce12& nonce, std::string_view plaintext);
// Fails (kInvalid, "authentication failed") when the tag does not match.
Result<std::string> Open(const Key32& key, const Nonce12& nonce, std::string_view sealed);

constexpr std::size_t kTagSize = 16;

}  // namespace stowage::crypto
