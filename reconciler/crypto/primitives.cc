#include "crypto/primitives.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <memory>

namespace stowage::crypto {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

bool AllZero(const Key32& k) {
  unsigned char acc = 0;
  for (unsigned char b : k.bytes) acc = static_cast<unsigned char>(acc | b);
  return acc == 0;
}

Status CryptoError(const char* what) { return Status::Internal(std::string("libcrypto: ") + what); }

// Runs one AEAD pass; `decrypt` expects `in` to end with the tag.
Result<std::string> Aead(const Key32& key, const Nonce12& nonce, std::string_view in,
                         bool decrypt) {
  if (decrypt && in.size() < kTagSize) return Status::Invalid("authentication failed");
  const std::size_t body = decrypt ? in.size() - kTagSize : in.size();
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_chacha20_poly1305(), nullptr, key.bytes.data(),
                                nonce.data(), decrypt ? 0 : 1) != 1) {
    return CryptoError("chacha20-poly1305 init");
  }
  std::string out(body + (decrypt ? 0 : kTagSize), '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  if (body > 0 && EVP_CipherUpdate(ctx.get(), dst, &len, Bytes(in), static_cast<int>(body)) != 1) {
    Wipe(out);
    return CryptoError("chacha20-poly1305 update");
  }
  if (decrypt) {
    std::string tag(in.substr(body));
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kTagSize),
                            tag.data()) != 1) {
      Wipe(out);
      return CryptoError("chacha20-poly1305 tag");
    }
  }
  int final_len = 0;
  if (EVP_CipherFinal_ex(ctx.get(), dst + len, &final_len) != 1) {
    Wipe(out);
    return Status::Invalid("authentication failed");
  }
  if (!decrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kTagSize),
                                      dst + body) != 1) {
    return CryptoError("chacha20-poly1305 tag");
  }
  return out;
}

}  // namespace

Key32::~Key32() { Wipe(bytes.data(), bytes.size()); }

Result<Key32> Key32::From(std::string_view raw) {
  if (raw.size() != 32)
    return Status::Invalid("expected 32 bytes, got " + std::to_string(raw.size()));
  Key32 k;
  for (std::size_t i = 0; i < 32; ++i) k.bytes[i] = static_cast<unsigned char>(raw[i]);
  return k;
}

void Wipe(void* p, std::size_t n) {
  if (p != nullptr && n > 0) OPENSSL_cleanse(p, n);
}

void Wipe(std::string& s) {
  Wipe(s.data(), s.size());
  s.clear();
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    Wipe(value_);
    value_ = std::move(other.value_);
    other.value_.clear();
  }
  return *this;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Status RandomBytes(unsigned char* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) return CryptoError("no random bytes");
  return Status::Ok();
}

Result<Key32> RandomKey() {
  Key32 k;
  if (Status s = RandomBytes(k.bytes.data(), k.bytes.size()); !s.ok()) return s;
  return k;
}

Result<Key32> X25519(const Key32& scalar, const Key32& point) {
  Pkey mine(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, scalar.bytes.data(), 32));
  Pkey peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, point.bytes.data(), 32));
  if (!mine || !peer) return CryptoError("x25519 key");
  PkeyCtx ctx(EVP_PKEY_CTX_new(mine.get(), nullptr));
  Key32 out;
  std::size_t len = out.bytes.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 0) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.bytes.data(), &len) != 1 || len != 32 || AllZero(out)) {
    return Status::Invalid("x25519: low-order point (all-zero shared secret)");
  }
  return out;
}

Result<Key32> X25519Base(const Key32& scalar) {
  Pkey mine(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, scalar.bytes.data(), 32));
  Key32 out;
  std::size_t len = out.bytes.size();
  if (!mine || EVP_PKEY_get_raw_public_key(mine.get(), out.bytes.data(), &len) != 1 || len != 32) {
    return CryptoError("x25519 public key");
  }
  return out;
}

Result<Key32> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info) {
  static const unsigned char kZeros[32] = {};
  PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
  const unsigned char* salt_bytes = salt.empty() ? kZeros : Bytes(salt);
  const int salt_len = salt.empty() ? 32 : static_cast<int>(salt.size());
  Key32 out;
  std::size_t len = out.bytes.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) != 1 ||
      EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), salt_bytes, salt_len) != 1 ||
      EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), Bytes(ikm), static_cast<int>(ikm.size())) != 1 ||
      EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), Bytes(info), static_cast<int>(info.size())) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.bytes.data(), &len) != 1 || len != 32) {
    return CryptoError("hkdf-sha256");
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(message), message.size(), mac,
       &len);
  std::string out(reinterpret_cast<const char*>(mac), len);
  Wipe(mac, sizeof mac);
  return out;
}

Result<std::string> Seal(const Key32& key, const Nonce12& nonce, std::string_view plaintext) {
  return Aead(key, nonce, plaintext, false);
}

Result<std::string> Open(const Key32& key, const Nonce12& nonce, std::string_view sealed) {
  return Aead(key, nonce, sealed, true);
}

}  // namespace stowage::crypto
