#include "crypto/signature.h"

#include <openssl/crypto.h>

#include "crypto/primitives.h"

namespace stowage::crypto {

std::string HubSignature(std::string_view secret, std::string_view body) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned char c : HmacSha256(secret, body)) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

bool VerifyHubSignature(std::string_view secret, std::string_view body, std::string_view header) {
  if (secret.empty()) return false;
  const std::string expected = HubSignature(secret, body);
  return header.size() == expected.size() &&
         CRYPTO_memcmp(header.data(), expected.data(), expected.size()) == 0;
}

}  // namespace stowage::crypto
