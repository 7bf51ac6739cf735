// Fragments: one named value picked out of a larger secret.
//
// `age:FILE#KEY` picks KEY from the decrypted file: a top-level key of a
// JSON object when the file is one, else a `KEY=value` line (dotenv: blank
// lines and '#' comments skipped, an optional `export `, surrounding quotes
// removed, the last line for a key wins). A Secrets Manager ARN's json-key
// picks a top-level key of the JSON value. A JSON string is taken as it is;
// any other JSON value as its compact JSON text. Errors name the key and
// `what` (the reference), never the content.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/primitives.h"

namespace stowage::secrets {

Result<crypto::SecretString> PickJsonKey(std::string_view content, std::string_view key,
                                         const std::string& what);
Result<crypto::SecretString> PickKey(std::string_view content, std::string_view key,
                                     const std::string& what);

// The value with one trailing "\n" (or "\r\n") removed: files written by
// `echo` or an editor end with one.
void StripTrailingNewline(crypto::SecretString& value);

}  // namespace stowage::secrets
