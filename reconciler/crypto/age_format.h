// age_format: the framing of an age v1 file, without any key.
//
// The textual header (version line, recipient stanzas with their base64
// bodies wrapped at 64 columns, the "---" MAC line), its ASCII armor, and
// the STREAM payload (64 KiB ChaCha20-Poly1305 chunks) keyed by a file key.
// Used by crypto/age.cc, which owns identities and recipients.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/primitives.h"

namespace stowage::crypto::age {

// Larger files are refused before any work (secrets are small).
constexpr std::size_t kMaxFileSize = 16 * 1024 * 1024;
constexpr std::size_t kFileKeySize = 16;
constexpr std::size_t kChunkSize = 64 * 1024;
constexpr std::size_t kMaxStanzas = 64;
constexpr std::size_t kMaxArguments = 16;

struct Stanza {
  std::vector<std::string> args;  // args[0] is the type ("X25519")
  std::string body;               // decoded
};

struct Header {
  std::vector<Stanza> stanzas;
  std::string mac;                // 32 bytes
  std::string_view mac_input;     // the header up to and including "---"
  std::size_t payload_start = 0;  // offset of the payload nonce
};

// Parses the header at the start of a binary age file.
Result<Header> ParseHeader(std::string_view file);
// The header text the MAC covers: version line, stanzas, then "---".
std::string FormatHeader(const std::vector<Stanza>& stanzas);

// Whether `file` starts (after whitespace) with the armor's BEGIN line.
bool IsArmored(std::string_view file);
// The binary file inside strict PEM armor ("AGE ENCRYPTED FILE").
Result<std::string> Dearmor(std::string_view file);

// HMAC-SHA-256 of `header_text` under HKDF(file key, "", "header").
Result<std::string> HeaderMac(std::string_view file_key, std::string_view header_text);

// nonce(16) || chunks: the payload of `plaintext` under `file_key`.
Result<std::string> SealPayload(std::string_view file_key, std::string_view plaintext);
// The plaintext of `payload` (nonce || chunks).
Result<SecretString> OpenPayload(std::string_view file_key, std::string_view payload);

}  // namespace stowage::crypto::age
