// ReadConfined: reads one file below a directory the operator named, and
// nothing else.
//
// The --secrets-dir provider: `key` is a relative '/'-separated name
// (secrets/reference.h has already refused "..", absolute keys and
// control characters). The file is opened with openat2(RESOLVE_BENEATH |
// RESOLVE_NO_MAGICLINKS), so a symlink is followed only while it stays
// below the directory (Kubernetes-style `..data` links work); on a kernel
// without openat2, every component is opened with O_NOFOLLOW instead (no
// symlink at all). The open is non-blocking (a FIFO cannot stall it), the
// result must be a regular file (fstat) of at most `max_size` bytes, checked
// before reading. Errors name the key and the directory, never the content.
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"
#include "crypto/primitives.h"

namespace stowage::secrets {

// kNoFollow forces the fallback (tests).
enum class Confinement { kBeneath, kNoFollow };

Result<crypto::SecretString> ReadConfined(const std::string& dir, const std::string& key,
                                          std::size_t max_size,
                                          Confinement how = Confinement::kBeneath);

// Reads a file the operator named (an identity file): a regular file of at
// most `max_size` bytes, size checked with fstat before reading.
Result<crypto::SecretString> ReadOperatorFile(const std::string& path, std::size_t max_size);

}  // namespace stowage::secrets
