// Base64 (RFC 4648, section 4) with strict, canonical decoding.
//
// age needs unpadded base64 and must reject any non-canonical encoding
// (stray padding, non-zero trailing bits, characters outside the alphabet);
// its ASCII armor uses the padded form with the same strictness. Encoding
// is the standard alphabet, with or without '=' padding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stowage {

enum class Base64Padding { kNone, kRequired };

std::string Base64Encode(std::string_view bytes, Base64Padding padding);

// nullopt for anything that Base64Encode would not have produced.
std::optional<std::string> Base64DecodeStrict(std::string_view text, Base64Padding padding);

}  // namespace stowage
