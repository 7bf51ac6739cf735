#include "secrets/resolve.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "model/revision.h"
#include "secrets/reference.h"
#include "secrets/registry_credentials.h"
#include "util/hash.h"

namespace stowage::secrets {
namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out += kHex[static_cast<unsigned char>(c) >> 4];
    out += kHex[static_cast<unsigned char>(c) & 15];
  }
  return out;
}

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

// HMAC over (container, name, value) of every secret, in a canonical order
// (by container, then name; equal names keep their order: the later wins).
std::string Fingerprint(const crypto::Key32& key, const model::TaskDefinition& td,
                        const ResolvedSecrets& resolved) {
  struct Entry {
    const std::string* container;
    const model::Secret* secret;
  };
  std::vector<Entry> entries;
  for (const auto& c : td.containers) {
    for (const auto& s : c.secrets) entries.push_back({&c.name, &s});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(*a.container, a.secret->name) < std::tie(*b.container, b.secret->name);
  });
  crypto::SecretString message;
  AppendField(message.mutable_str(), "stowage.secrets.v1");
  for (const auto& e : entries) {
    AppendField(message.mutable_str(), *e.container);
    AppendField(message.mutable_str(), e.secret->name);
    auto value = resolved.Value(e.secret->value_from);
    AppendField(message.mutable_str(), value.ok() ? *value : "");
  }
  return Hex(crypto::HmacSha256(key.view(), message.str())).substr(0, 16);
}

bool HasSecrets(const model::TaskDefinition& td) {
  return std::any_of(td.containers.begin(), td.containers.end(),
                     [](const model::ContainerDefinition& c) { return !c.secrets.empty(); });
}

}  // namespace

Result<std::string> ResolvedSecrets::Value(const std::string& value_from) const {
  auto it = values_.find(value_from);
  if (it == values_.end()) {
    return Status::NotFound("valueFrom " + QuoteReference(value_from) + " was not resolved");
  }
  return it->second.str();
}

std::function<Result<std::string>(const std::string&)> ResolvedSecrets::Resolver() const {
  return [this](const std::string& value_from) { return Value(value_from); };
}

void ResolvedSecrets::Add(const std::string& value_from, Secret secret) {
  values_.insert_or_assign(value_from, std::move(secret));
}

ResolvedSecrets ResolveSecrets(model::DesiredState& desired, SecretStore& store,
                               Diagnostics& diags) {
  ResolvedSecrets resolved;
  std::map<std::pair<std::string_view, std::string>, Status> failed;
  // The lookup of `value_from` in `field` (once), its error when it failed.
  auto lookup = [&](const std::string& value_from, std::string_view field) -> const Status* {
    const auto key = std::make_pair(field, value_from);
    if (!resolved.Contains(value_from) && failed.count(key) == 0) {
      auto value = store.Lookup(value_from, field);
      if (value.ok()) {
        resolved.Add(value_from, std::move(*value));
      } else {
        failed.emplace(key, value.status());
      }
    }
    auto it = failed.find(key);
    return it == failed.end() ? nullptr : &it->second;
  };
  const int errors_before = diags.errors();
  for (const auto& td : desired.task_definitions) {
    for (const auto& c : td.containers) {
      for (const auto& s : c.secrets) {
        if (const Status* st = lookup(s.value_from, kValueFrom)) {
          diags.Error(s.position,
                      "secret " + s.name + " of container " + c.name + ": " + st->message());
        }
      }
      if (c.credentials_parameter.empty()) continue;
      const std::string where = "repositoryCredentials of container " + c.name + ": ";
      if (const Status* st = lookup(c.credentials_parameter, kCredentialsParameter)) {
        diags.Error(c.credentials_position, where + st->message());
      } else if (auto creds = ParseRegistryCredentials(c.credentials_parameter,
                                                       *resolved.Value(c.credentials_parameter));
                 !creds.ok()) {
        diags.Error(c.credentials_position, where + creds.status().message());
      }
    }
  }
  if (diags.errors() != errors_before) return resolved;
  if (std::none_of(desired.task_definitions.begin(), desired.task_definitions.end(), HasSecrets)) {
    return resolved;  // registry credentials alone: no fingerprint (they roll nothing)
  }
  auto key = store.FingerprintKey(desired.cluster.name);
  if (!key.ok()) {
    diags.Error(Position{}, key.status().message());
    return resolved;
  }
  for (auto& td : desired.task_definitions) {
    if (!HasSecrets(td)) continue;
    const std::string base = model::ComputeRevision(td);
    td.revision = Hasher().Add(base).Add(Fingerprint(*key, td, resolved)).HexDigest().substr(0, 16);
  }
  return resolved;
}

bool AnySecrets(const model::DesiredState& desired) {
  return std::any_of(desired.task_definitions.begin(), desired.task_definitions.end(),
                     [](const model::TaskDefinition& td) {
                       return HasSecrets(td) ||
                              std::any_of(td.containers.begin(), td.containers.end(),
                                          [](const model::ContainerDefinition& c) {
                                            return !c.credentials_parameter.empty();
                                          });
                     });
}

void CheckReferences(const model::TaskDefinition& td, Diagnostics& diags) {
  for (const auto& c : td.containers) {
    for (const auto& s : c.secrets) {
      if (auto ref = ParseReference(s.value_from); !ref.ok()) {
        diags.Error(s.position,
                    "secret " + s.name + " of container " + c.name + ": " + ref.status().message());
      }
    }
    if (c.credentials_parameter.empty()) continue;
    if (auto ref = ParseReference(c.credentials_parameter, kCredentialsParameter); !ref.ok()) {
      diags.Error(c.credentials_position,
                  "repositoryCredentials of container " + c.name + ": " + ref.status().message());
    }
  }
}

}  // namespace stowage::secrets
