// The notifier's transport: an HTTP(S) POST with libcurl (notify/notifier.h's
// Sender). Kept out of the core like the Docker runtime: bounded connect and
// total time, no redirects followed, the answer's body ignored.
#pragma once

#include "notify/notifier.h"

namespace stowage::notify {

// Connect within 5 s, answer within `timeout`.
Sender CurlSender(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

}  // namespace stowage::notify
