#include "crypto/age.h"

#include "crypto/bech32.h"
#include "util/base64.h"

namespace stowage::crypto::age {
namespace {

constexpr std::string_view kIdentityHrp = "age-secret-key-";
constexpr std::string_view kRecipientHrp = "age";
constexpr std::string_view kX25519Label = "age-encryption.org/v1/X25519";
constexpr std::size_t kWrappedKeySize = kFileKeySize + kTagSize;

const Nonce12 kZeroNonce{};

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

Result<Key32> WrapKey(const Key32& shared, const Key32& share, const Key32& recipient) {
  std::string salt(share.view());
  salt += recipient.view();
  return HkdfSha256(shared.view(), salt, kX25519Label);
}

// The file key from one X25519 stanza, or why not. kNotFound: not for us.
Result<SecretString> Unwrap(const Identity& id, const Stanza& s) {
  if (s.args.size() != 2) return Status::Invalid("age: malformed X25519 stanza (2 arguments)");
  auto share_bytes = Base64DecodeStrict(s.args[1], Base64Padding::kNone);
  if (!share_bytes || share_bytes->size() != 32) {
    return Status::Invalid("age: malformed X25519 stanza (the share is not 32 bytes)");
  }
  if (s.body.size() != kWrappedKeySize) {
    return Status::Invalid("age: malformed X25519 stanza (the body is not 32 bytes)");
  }
  auto share = Key32::From(*share_bytes);
  auto shared = X25519(id.secret, *share);
  if (!shared.ok()) return Status::Invalid("age: X25519 stanza with a low-order share");
  auto key = WrapKey(*shared, *share, id.recipient);
  if (!key.ok()) return key.status();
  auto file_key = Open(*key, kZeroNonce, s.body);
  if (!file_key.ok()) return Status::NotFound("not for this identity");
  return SecretString(std::move(*file_key));
}

// The file key, from the first stanza one of the identities opens.
Result<SecretString> FindFileKey(const std::vector<Identity>& identities, const Header& h) {
  bool x25519 = false;
  for (const auto& s : h.stanzas) {
    if (s.args[0] == "scrypt") {
      return Status::Invalid(
          "age: the file is passphrase-encrypted (scrypt); encrypt it to the operator's "
          "recipient (age -r age1…)");
    }
    if (s.args[0] != "X25519") continue;  // other recipient types: not ours
    x25519 = true;
    for (const auto& id : identities) {
      auto key = Unwrap(id, s);
      if (key.ok()) return key;
      if (key.status().code() != Status::Code::kNotFound) return key.status();
    }
  }
  if (!x25519) return Status::Invalid("age: the file has no X25519 recipient stanza");
  return Status::Invalid("age: no identity matches a recipient of the file (wrong key?)");
}

}  // namespace

Result<Identity> ParseIdentity(std::string_view text) {
  auto data = Bech32Decode(text);
  if (!data.ok() || data->hrp != kIdentityHrp || data->bytes.size() != 32) {
    return Status::Invalid("age: not an identity (expected AGE-SECRET-KEY-1…)");
  }
  Identity id;
  auto secret = Key32::From(data->bytes);
  Wipe(data->bytes);
  id.secret = *secret;
  auto recipient = X25519Base(id.secret);
  if (!recipient.ok()) return recipient.status();
  id.recipient = *recipient;
  return id;
}

Result<std::vector<Identity>> ParseIdentityFile(std::string_view text) {
  std::vector<Identity> out;
  std::size_t pos = 0;
  int line_number = 0;
  while (pos < text.size()) {
    std::size_t lf = text.find('\n', pos);
    if (lf == std::string_view::npos) lf = text.size();
    std::string_view line = text.substr(pos, lf - pos);
    pos = lf + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto id = ParseIdentity(line);
    if (!id.ok()) {
      return Status::Invalid("line " + std::to_string(line_number) +
                             ": not an age identity (expected AGE-SECRET-KEY-1…)");
    }
    out.push_back(std::move(*id));
  }
  if (out.empty()) return Status::Invalid("no age identity (AGE-SECRET-KEY-1…) in the file");
  return out;
}

Result<Key32> ParseRecipient(std::string_view text) {
  auto data = Bech32Decode(text);
  if (!data.ok() || data->hrp != kRecipientHrp || data->bytes.size() != 32 ||
      text.substr(0, 4) != "age1") {
    return Status::Invalid("age: not a recipient (expected age1…)");
  }
  return Key32::From(data->bytes);
}

std::string EncodeIdentity(const Identity& identity) {
  std::string lower = Bech32Encode(kIdentityHrp, identity.secret.view());
  std::string out = Upper(lower);
  Wipe(lower);
  return out;
}

std::string EncodeRecipient(const Key32& recipient) {
  return Bech32Encode(kRecipientHrp, recipient.view());
}

Result<Identity> GenerateIdentity() {
  auto secret = RandomKey();
  if (!secret.ok()) return secret.status();
  auto recipient = X25519Base(*secret);
  if (!recipient.ok()) return recipient.status();
  return Identity{*secret, *recipient};
}

Result<SecretString> Decrypt(const std::vector<Identity>& identities, std::string_view file) {
  if (file.size() > kMaxFileSize) {
    return Status::Invalid("age: the file is larger than " +
                           std::to_string(kMaxFileSize / (1024 * 1024)) + " MiB");
  }
  std::string dearmored;
  if (IsArmored(file)) {
    auto binary = Dearmor(file);
    if (!binary.ok()) return binary.status();
    dearmored = std::move(*binary);
    file = dearmored;
  }
  auto header = ParseHeader(file);
  if (!header.ok()) return header.status();
  auto file_key = FindFileKey(identities, *header);
  if (!file_key.ok()) return file_key.status();
  auto mac = HeaderMac(file_key->str(), header->mac_input);
  if (!mac.ok()) return mac.status();
  if (!ConstantTimeEqual(*mac, header->mac)) {
    return Status::Invalid("age: header MAC mismatch (the header was changed)");
  }
  return OpenPayload(file_key->str(), file.substr(header->payload_start));
}

Result<std::string> Encrypt(const Key32& recipient, std::string_view plaintext) {
  if (plaintext.size() > kMaxFileSize) {
    return Status::Invalid("age: the plaintext is larger than " +
                           std::to_string(kMaxFileSize / (1024 * 1024)) + " MiB");
  }
  SecretString file_key(std::string(kFileKeySize, '\0'));
  auto* key_bytes = reinterpret_cast<unsigned char*>(file_key.mutable_str().data());
  if (Status s = RandomBytes(key_bytes, kFileKeySize); !s.ok()) return s;
  auto ephemeral = RandomKey();
  if (!ephemeral.ok()) return ephemeral.status();
  auto share = X25519Base(*ephemeral);
  if (!share.ok()) return share.status();
  auto shared = X25519(*ephemeral, recipient);
  if (!shared.ok()) return Status::Invalid("age: the recipient is a low-order point");
  auto wrap = WrapKey(*shared, *share, recipient);
  if (!wrap.ok()) return wrap.status();
  auto body = Seal(*wrap, kZeroNonce, file_key.str());
  if (!body.ok()) return body.status();
  Stanza stanza{{"X25519", Base64Encode(share->view(), Base64Padding::kNone)}, std::move(*body)};
  std::string header = FormatHeader({stanza});
  auto mac = HeaderMac(file_key.str(), header);
  if (!mac.ok()) return mac.status();
  auto payload = SealPayload(file_key.str(), plaintext);
  if (!payload.ok()) return payload.status();
  return header + " " + Base64Encode(*mac, Base64Padding::kNone) + "\n" + *payload;
}

}  // namespace stowage::crypto::age
