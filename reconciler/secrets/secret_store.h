// SecretStore: the values behind `valueFrom`, from the operator's providers.
//
// A commit names secrets; the operator decides where they come from. The
// providers (flags and environment of validate, plan, apply, run-task and
// watch):
//   --secrets-dir DIR     (STOWAGE_SECRETS_DIR)   key -> the file DIR/KEY, confined to DIR
//   --secrets-env PREFIX  (STOWAGE_SECRETS_ENV)   key -> the variable PREFIX + KEY upper-cased
//                                                 (other characters as '_')
//   --age-identity FILE   (STOWAGE_AGE_IDENTITY)  age:PATH[#KEY] -> the age file PATH of the
//                                                 source, decrypted in memory
// A key is looked up in the directory first, then in the environment.
// Lookup() takes any valueFrom form (secrets/reference.h: keys, SSM and
// Secrets Manager ARNs with json-key, age:), so registry credentials
// (repositoryCredentials.credentialsParameter) resolve the same way as
// container secrets. Values are held in wiped buffers and are never part of
// a Status: every error names the reference and the provider only.
//
// The fingerprint key: a changed value must roll its service out, so the
// revision covers the values; it is an HMAC under a per-cluster key derived
// from a secret the operator holds (secrets/resolve.h), never a bare hash a
// reader of a plan could test guesses against.
#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/primitives.h"
#include "secrets/reference.h"
#include "source/source.h"

namespace stowage::secrets {

// A resolved secret value; wiped when it goes out of scope. Never print it.
struct Secret {
  crypto::SecretString value;
  const std::string& str() const { return value.str(); }
};

struct Providers {
  std::string dir;           // --secrets-dir
  std::string env_prefix;    // --secrets-env
  std::string age_identity;  // --age-identity
  bool any() const { return !dir.empty() || !env_prefix.empty() || !age_identity.empty(); }
};

// Reads an environment variable; nullptr when unset.
using EnvLookup = std::function<const char*(const char* name)>;

// Largest value a --secrets-dir file or an age identity file may hold.
constexpr std::size_t kMaxSecretFileSize = 1024 * 1024;
// Shortest operator fingerprint key accepted (bytes).
constexpr std::size_t kMinFingerprintKeySize = 16;

class SecretStore {
 public:
  virtual ~SecretStore() = default;
  // The value `value_from` names; errors name `field` (kValueFrom or
  // kCredentialsParameter) and the reference, never a value.
  virtual Result<Secret> Lookup(std::string_view value_from, std::string_view field) = 0;
  // The 32-byte HMAC key for fingerprints of `cluster`'s secret values.
  virtual Result<crypto::Key32> FingerprintKey(std::string_view cluster) = 0;
};

// Checks what the operator gave (a directory that exists, a well-formed env
// prefix, a readable identity file holding at least one identity).
Status CheckProviders(const Providers& providers);

// The store over `providers`. `source` serves age: paths (may be null: then
// age: references fail); it must outlive the store. Age files are decrypted
// once per store and kept in memory (wiped) until the store goes.
std::unique_ptr<SecretStore> NewProviderStore(
    Providers providers, Source* source,
    EnvLookup env = [](const char* name) { return std::getenv(name); });

}  // namespace stowage::secrets
