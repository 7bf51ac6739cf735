// NewProviderStore: keys from --secrets-dir and --secrets-env, age: files
// of the source decrypted with --age-identity.
#include <fcntl.h>
#include <sys/stat.h>

#include <map>
#include <optional>
#include <vector>

#include "crypto/age.h"
#include "secrets/confined_file.h"
#include "secrets/fragment.h"
#include "secrets/reference.h"
#include "secrets/secret_store.h"

namespace stowage::secrets {
namespace {

constexpr std::string_view kFingerprintSalt = "stowage fingerprint key v1";
constexpr std::string_view kIdentityInfo = "stowage fingerprint key from age identity";

Result<std::vector<crypto::age::Identity>> LoadIdentities(const std::string& path) {
  auto text = ReadOperatorFile(path, kMaxSecretFileSize);
  if (!text.ok()) return Status::Invalid("--age-identity " + text.status().message());
  auto ids = crypto::age::ParseIdentityFile(text->str());
  if (!ids.ok()) return Status::Invalid("--age-identity " + path + ": " + ids.status().message());
  return ids;
}

class ProviderStore : public SecretStore {
 public:
  ProviderStore(Providers providers, Source* source, EnvLookup env)
      : providers_(std::move(providers)), source_(source), env_(std::move(env)) {}

  Result<Secret> Lookup(std::string_view value_from, std::string_view field) override {
    auto ref = ParseReference(value_from, field);
    if (!ref.ok()) return ref.status();
    const std::string what = std::string(field) + " " + QuoteReference(value_from);
    if (ref->kind == Reference::Kind::kAge) return LookupAge(*ref, what);
    auto value = LookupKey(ref->key, what);
    if (!value.ok() || ref->json_key.empty()) return value;
    auto picked = PickJsonKey(value->str(), ref->json_key, what);
    if (!picked.ok()) return picked.status();
    return Secret{std::move(*picked)};
  }

  Result<crypto::Key32> FingerprintKey(std::string_view cluster) override {
    auto root = RootKey();
    if (!root.ok()) return root.status();
    return crypto::HkdfSha256(root->str(), kFingerprintSalt, cluster);
  }

 private:
  // A key from the directory, then the environment. kNotFound when neither has it.
  Result<Secret> LookupKey(const std::string& key, const std::string& what) {
    if (providers_.dir.empty() && providers_.env_prefix.empty()) {
      return Status::Invalid(
          what + ": no secret provider: give --secrets-dir DIR or --secrets-env PREFIX");
    }
    std::string tried;
    if (!providers_.dir.empty()) {
      auto file = ReadConfined(providers_.dir, key, kMaxSecretFileSize);
      if (file.ok()) {
        StripTrailingNewline(*file);
        return Secret{std::move(*file)};
      }
      if (file.status().code() != Status::Code::kNotFound) {
        return Status(file.status().code(), what + ": " + file.status().message());
      }
      tried = "no file " + key + " in --secrets-dir " + providers_.dir;
    }
    if (!providers_.env_prefix.empty()) {
      const std::string name = EnvName(providers_.env_prefix, key);
      if (const char* v = env_(name.c_str()); v != nullptr) {
        return Secret{crypto::SecretString(std::string(v))};
      }
      tried += (tried.empty() ? "" : ", ") + std::string("no variable ") + name;
    }
    return Status::NotFound(what + ": not found (" + tried + ")");
  }

  Result<Secret> LookupAge(const Reference& ref, const std::string& what) {
    if (providers_.age_identity.empty()) {
      return Status::Invalid(what + ": an age: secret needs --age-identity FILE");
    }
    if (source_ == nullptr)
      return Status::Invalid(what + ": no source to read " + ref.path + " from");
    auto plain = Decrypted(ref.path, what);
    if (!plain.ok()) return plain.status();
    if (!ref.fragment.empty()) {
      auto picked = PickKey((*plain)->str(), ref.fragment, what);
      if (!picked.ok()) return picked.status();
      return Secret{std::move(*picked)};
    }
    crypto::SecretString whole((*plain)->str());
    StripTrailingNewline(whole);
    return Secret{std::move(whole)};
  }

  // The plaintext of an age file of the source, decrypted once.
  Result<const crypto::SecretString*> Decrypted(const std::string& path, const std::string& what) {
    if (auto it = files_.find(path); it != files_.end()) return &it->second;
    if (!identities_) {
      auto ids = LoadIdentities(providers_.age_identity);
      if (!ids.ok()) return Status::Invalid(what + ": " + ids.status().message());
      identities_ = std::move(*ids);
    }
    auto bytes = source_->Read(path);
    if (!bytes.ok()) return Status(bytes.status().code(), what + ": " + bytes.status().message());
    auto plain = crypto::age::Decrypt(*identities_, *bytes);
    if (!plain.ok()) return Status::Invalid(what + ": " + path + ": " + plain.status().message());
    return &files_.emplace(path, std::move(*plain)).first->second;
  }

  // The operator's root secret for fingerprints: the reserved key in the
  // directory or the environment, else one derived from the age identity.
  Result<crypto::SecretString> RootKey() {
    const std::string what = "the fingerprint key";
    if (!providers_.dir.empty() || !providers_.env_prefix.empty()) {
      auto key = LookupKey(std::string(kFingerprintKey), what);
      if (key.ok()) {
        if (key->str().size() < kMinFingerprintKeySize) {
          return Status::Invalid(std::string(kFingerprintKey) + " is shorter than 16 bytes");
        }
        return std::move(key->value);
      }
      if (key.status().code() != Status::Code::kNotFound) return key.status();
    }
    if (!providers_.age_identity.empty()) {
      if (!identities_) {
        auto ids = LoadIdentities(providers_.age_identity);
        if (!ids.ok()) return ids.status();
        identities_ = std::move(*ids);
      }
      auto derived = crypto::HkdfSha256(identities_->front().secret.view(), "", kIdentityInfo);
      if (!derived.ok()) return derived.status();
      return crypto::SecretString(std::string(derived->view()));
    }
    return Status::Invalid(
        "no fingerprint key: a service's revision covers an HMAC of its secret values so that "
        "a changed value rolls it out; the HMAC key is the operator's: put at least 16 random "
        "bytes in " +
        std::string(providers_.dir.empty() ? "DIR" : providers_.dir) + "/" +
        std::string(kFingerprintKey) + " (openssl rand -hex 32), or in $" +
        EnvName(providers_.env_prefix.empty() ? "PREFIX_" : providers_.env_prefix,
                kFingerprintKey) +
        ", or give --age-identity");
  }

  Providers providers_;
  Source* source_;
  EnvLookup env_;
  std::optional<std::vector<crypto::age::Identity>> identities_;
  std::map<std::string, crypto::SecretString> files_;
};

}  // namespace

Status CheckProviders(const Providers& providers) {
  if (!providers.dir.empty()) {
    struct stat st {};
    if (stat(providers.dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return Status::Invalid("--secrets-dir " + providers.dir + ": not a directory");
    }
  }
  if (!providers.env_prefix.empty()) {
    if (Status s = CheckEnvPrefix(providers.env_prefix); !s.ok()) return s;
  }
  if (!providers.age_identity.empty()) {
    auto ids = LoadIdentities(providers.age_identity);
    if (!ids.ok()) return ids.status();
  }
  return Status::Ok();
}

std::unique_ptr<SecretStore> NewProviderStore(Providers providers, Source* source, EnvLookup env) {
  return std::make_unique<ProviderStore>(std::move(providers), source, std::move(env));
}

}  // namespace stowage::secrets
