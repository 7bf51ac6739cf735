// Bech32 (BIP 173, without its 90-character limit), as age spells its keys:
// recipients "age1…" (HRP "age") and identities "AGE-SECRET-KEY-1…" (HRP
// "age-secret-key-", written in upper case). Only the original Bech32
// checksum; a string mixing cases is invalid.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace stowage::crypto {

struct Bech32Data {
  std::string hrp;    // lower case
  std::string bytes;  // the data part, 8 bits per byte
};

// Lower-case encoding of `bytes` under `hrp` (which must be lower case).
std::string Bech32Encode(std::string_view hrp, std::string_view bytes);

// Errors name what is wrong, never echo the input (it may be a secret key).
Result<Bech32Data> Bech32Decode(std::string_view text);

}  // namespace stowage::crypto
