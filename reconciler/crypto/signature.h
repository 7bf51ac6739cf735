// Signatures of HTTP bodies: HMAC-SHA256 as "sha256=<hex>", GitHub's
// X-Hub-Signature-256 convention. The watcher checks webhooks with it
// (server/), and stowage signs its own notifications with it (notify/,
// X-Stowage-Signature-256). Built on crypto/primitives.h; compared in
// constant time.
#pragma once

#include <string>
#include <string_view>

namespace stowage::crypto {

// "sha256=" followed by 64 lowercase hex digits.
std::string HubSignature(std::string_view secret, std::string_view body);

// True only for a non-empty secret and a header that matches the body.
bool VerifyHubSignature(std::string_view secret, std::string_view body, std::string_view header);

}  // namespace stowage::crypto
