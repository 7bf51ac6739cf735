// age: the age-encryption.org/v1 file format (c2sp.org/age), X25519 only.
//
// stowage decrypts operator secrets kept in the source as age files, with
// the operator's identity file, in memory; tests also encrypt. Implemented
// on libcrypto: X25519 recipient stanzas (HKDF-SHA-256 wrap key,
// ChaCha20-Poly1305 with a zero nonce), the header MAC (HMAC-SHA-256 under
// HKDF(file key, "header")), and the payload in 64 KiB ChaCha20-Poly1305
// chunks with the STREAM nonce (11-byte big-endian counter, last-chunk flag).
// Binary and ASCII-armored files are read; files are written binary.
//
// Everything is bounded (kMaxFileSize, stanza count and sizes), every failure
// is a Status (kInvalid) whose message never contains key or plaintext
// bytes, MACs are compared in constant time, and keys and file keys are wiped
// when they go out of scope. Passphrase (scrypt) and plugin stanzas are not
// supported: a file made only for them does not decrypt.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/age_format.h"
#include "crypto/primitives.h"

namespace stowage::crypto::age {

struct Identity {
  Key32 secret;
  Key32 recipient;  // X25519(secret, basepoint)
};

// One identity: "AGE-SECRET-KEY-1…".
Result<Identity> ParseIdentity(std::string_view text);
// An identity file as age-keygen writes it: identities one per line, '#'
// comments and blank lines ignored. At least one identity.
Result<std::vector<Identity>> ParseIdentityFile(std::string_view text);
// A recipient: "age1…".
Result<Key32> ParseRecipient(std::string_view text);

std::string EncodeIdentity(const Identity& identity);
std::string EncodeRecipient(const Key32& recipient);
Result<Identity> GenerateIdentity();

// The plaintext of `file` (binary or armored), with the first identity that
// unwraps a stanza. Errors: not an age file, unsupported version, malformed
// header, no matching identity, header MAC mismatch, truncated or tampered
// payload, too large.
Result<SecretString> Decrypt(const std::vector<Identity>& identities, std::string_view file);

// A binary age file of `plaintext` for one recipient.
Result<std::string> Encrypt(const Key32& recipient, std::string_view plaintext);

}  // namespace stowage::crypto::age
