#include "secrets/reference.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

namespace stowage::secrets {
namespace {

constexpr std::size_t kMaxKeyLength = 512;
constexpr std::size_t kArnSuffixLength = 6;  // Secrets Manager's "-AbCdEf"

// Variables stowage reads for itself: never reachable through --secrets-env.
constexpr std::array<std::string_view, 9> kOwnVariables = {
    "STOWAGE_GIT_TOKEN",   "STOWAGE_GIT_SSH_KEY",  "STOWAGE_WEBHOOK_SECRET",
    "STOWAGE_SECRETS_DIR", "STOWAGE_SECRETS_ENV",  "STOWAGE_AGE_IDENTITY",
    "STOWAGE_POLICY",      "STOWAGE_SSH_IDENTITY", "STOWAGE_SSH_PASSPHRASE"};

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_.@+=/-").find(c) != std::string_view::npos;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

// A reference and the field that holds it ("valueFrom", "credentialsParameter").
struct Named {
  std::string_view field;
  std::string_view text;
};

Status Bad(const Named& ref, const std::string& why) {
  return Status::Invalid(std::string(ref.field) + " " + QuoteReference(ref.text) + ": " + why);
}

// Checks a '/'-separated relative name (a key, or an age path when `path`).
std::string NameProblem(std::string_view name, bool path) {
  if (name.empty()) return path ? "the age: form needs a file path" : "empty key";
  if (name.size() > kMaxKeyLength) return "longer than 512 characters";
  if (name.front() == '/') {
    return path ? "the path must be relative to the source root"
                : "a key never starts with '/' (paths on this machine are not secrets; for "
                  "the SSM parameter /prod/db write prod/db)";
  }
  for (std::string_view part : Split(name, '/')) {
    if (part == "..") return "'..' may not appear in a " + std::string(path ? "path" : "key");
    if (part.empty() || part == ".") {
      return std::string(path ? "a path" : "a key") + " has an empty or '.' part";
    }
  }
  for (char c : name) {
    if (path ? (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '#') : !IsKeyChar(c)) {
      return path ? "the path has a control character"
                  : "a key has only letters, digits and _ . @ + = / -";
    }
  }
  return "";
}

Result<Reference> ParseKey(const Named& ref, std::string_view key) {
  if (std::string problem = NameProblem(key, false); !problem.empty()) {
    return Bad(ref, problem);
  }
  if (key == kFingerprintKey) return Bad(ref, "this key is reserved for stowage");
  Reference r;
  r.key = std::string(key);
  return r;
}

Result<Reference> ParseAge(const Named& ref) {
  std::string_view rest = ref.text.substr(4);
  const std::size_t hash = rest.find('#');
  Reference r;
  r.kind = Reference::Kind::kAge;
  std::string_view path = rest.substr(0, hash);
  if (std::string problem = NameProblem(path, true); !problem.empty()) {
    return Bad(ref, problem);
  }
  r.path = std::string(path);
  if (hash != std::string_view::npos) {
    std::string_view fragment = rest.substr(hash + 1);
    if (fragment.empty() || fragment.size() > kMaxKeyLength ||
        !std::all_of(fragment.begin(), fragment.end(), IsKeyChar)) {
      return Bad(ref, "#KEY must name a key (letters, digits and _ . @ + = / -) of the file");
    }
    r.fragment = std::string(fragment);
  }
  return r;
}

// arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME
// arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME[-XXXXXX][:json-key:stage:id]
Result<Reference> ParseArn(const Named& ref) {
  const std::vector<std::string_view> f = Split(ref.text, ':');
  if (f.size() >= 6 && f[2] == "ssm" && f[5].substr(0, 10) == "parameter/") {
    if (f.size() != 6) return Bad(ref, "an SSM parameter ARN ends after the parameter name");
    return ParseKey(ref, f[5].substr(10));
  }
  if (f.size() >= 7 && f[2] == "secretsmanager" && f[5] == "secret") {
    if (f.size() != 7 && f.size() != 10) {
      return Bad(ref, "expected …:secret:NAME or …:secret:NAME:json-key:version-stage:version-id");
    }
    std::string_view name = f[6];
    if (name.size() > kArnSuffixLength + 1 && name[name.size() - kArnSuffixLength - 1] == '-') {
      name.remove_suffix(kArnSuffixLength + 1);
    }
    auto r = ParseKey(ref, name);
    if (!r.ok() || f.size() == 7) return r;
    if ((!f[8].empty() && f[8] != "AWSCURRENT") || !f[9].empty()) {
      return Bad(ref,
                 "version-stage and version-id are not supported (the operator's providers "
                 "hold the current value)");
    }
    if (!f[7].empty() && !std::all_of(f[7].begin(), f[7].end(), IsKeyChar)) {
      return Bad(ref, "json-key has only letters, digits and _ . @ + = / -");
    }
    r->json_key = std::string(f[7]);
    return r;
  }
  return Bad(ref,
             "unsupported ARN: expected arn:aws:ssm:REGION:ACCOUNT:parameter/NAME or "
             "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME");
}

}  // namespace

Result<Reference> ParseReference(std::string_view value_from, std::string_view field) {
  const Named ref{field, value_from};
  if (value_from.substr(0, 4) == "age:") return ParseAge(ref);
  if (value_from.substr(0, 4) == "arn:") return ParseArn(ref);
  if (value_from.substr(0, 5) == "file:") {
    return Bad(ref,
               "the file: form is gone: a commit may not read files of the machine; name a "
               "key of the operator's secrets (--secrets-dir, --secrets-env) or an age: file "
               "of the source");
  }
  if (value_from.substr(0, 4) == "env:") {
    return Bad(ref,
               "the env: form is gone: a commit may not read stowage's environment; name a "
               "key (with --secrets-env PREFIX it is read from PREFIX + KEY)");
  }
  return ParseKey(ref, value_from);
}

std::string QuoteReference(std::string_view value_from) {
  constexpr std::size_t kMaxShown = 200;
  std::string out = "\"";
  for (std::size_t i = 0; i < value_from.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(value_from[i]);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (value_from.size() > kMaxShown) out += "…";
  return out + "\"";
}

std::string EnvName(std::string_view prefix, std::string_view key) {
  std::string out(prefix);
  for (char c : key) {
    if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += c;
    } else {
      out += '_';
    }
  }
  return out;
}

Status CheckEnvPrefix(std::string_view prefix) {
  const bool shaped = !prefix.empty() && prefix.back() == '_' &&
                      std::all_of(prefix.begin(), prefix.end(), [](char c) {
                        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                      });
  if (!shaped) {
    return Status::Invalid("--secrets-env " + QuoteReference(prefix) +
                           ": expected upper-case letters, digits and '_', ending in '_' "
                           "(e.g. STOWAGE_SECRET_)");
  }
  for (std::string_view own : kOwnVariables) {
    if (own.substr(0, prefix.size()) == prefix) {
      return Status::Invalid("--secrets-env " + std::string(prefix) + ": a commit could read " +
                             std::string(own) +
                             " through it; choose a prefix of its own (e.g. STOWAGE_SECRET_)");
    }
  }
  return Status::Ok();
}

}  // namespace stowage::secrets
