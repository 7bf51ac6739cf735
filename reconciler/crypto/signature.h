// Webhook signatures: HMAC-SHA256 over the request body (GitHub's
// X-Hub-Signature-256 convention, "sha256=<hex>"), computed with OpenSSL's
// libcrypto and compared in constant time.
#pragma once

#include <string>
#include <string_view>

namespace stowage::server {

// "sha256=" followed by 64 lowercase hex digits.
std::string HubSignature(std::string_view secret, std::string_view body);

// True only for a non-empty secret and a header that matches the body.
bool VerifyHubSignature(std::string_view secret, std::string_view body, std::string_view header);

}  // namespace stowage::server
