// Reference: what a secret's `valueFrom` (or a container's
// repositoryCredentials.credentialsParameter) names, parsed (no lookup here).
//
// A commit never names a place on the machine that runs stowage: valueFrom
// is either a *key* that the operator's providers hold, or an age file
// inside the source. The forms:
//   db_password                                    a key
//   arn:aws:ssm:REGION:ACCOUNT:parameter/prod/db   key prod/db
//   arn:aws:secretsmanager:REGION:ACCOUNT:secret:prod/db-AbCdEf
//                                                  key prod/db (the 6-character suffix
//                                                  Secrets Manager adds is dropped)
//   …:secret:prod/db-AbCdEf:password::             key prod/db, then its JSON key "password"
//   age:secrets/prod.env.age#DB_PASSWORD           line DB_PASSWORD=… (or JSON key) of the
//                                                  age file secrets/prod.env.age of the source
//   age:secrets/token.age                          the whole decrypted file
// A key is 1-512 characters of [A-Za-z0-9_.@+=/-], '/'-separated parts,
// none empty, "." or ".."; it never starts with '/'. The old `file:`,
// `env:` and path forms are refused with a message saying what replaced
// them. Messages quote the reference (never a value) with control
// characters escaped.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace stowage::secrets {

struct Reference {
  enum class Kind { kKey, kAge };
  Kind kind = Kind::kKey;
  std::string key;       // kKey: the provider key
  std::string json_key;  // kKey: a top-level key of the value's JSON ("" = the whole value)
  std::string path;      // kAge: the file, relative to the source root
  std::string fragment;  // kAge: the KEY after '#' ("" = the whole file)
};

// Keys stowage keeps for itself; a valueFrom may not name them.
constexpr std::string_view kFingerprintKey = "stowage-fingerprint-key";

// The fields that hold references, as messages name them.
constexpr std::string_view kValueFrom = "valueFrom";
constexpr std::string_view kCredentialsParameter = "credentialsParameter";

// Errors name `field` and the quoted reference: `valueFrom "KEY": ...`.
Result<Reference> ParseReference(std::string_view value_from, std::string_view field = kValueFrom);

// The reference as it may be printed: at most 200 characters, control and
// non-ASCII bytes as \xNN.
std::string QuoteReference(std::string_view value_from);

// The environment variable --secrets-env PREFIX reads for `key`: PREFIX,
// then the key upper-cased with every character other than A-Z and 0-9 as
// '_' ("prod/db" with "STOWAGE_SECRET_" -> "STOWAGE_SECRET_PROD_DB").
std::string EnvName(std::string_view prefix, std::string_view key);

// Whether PREFIX is fit for --secrets-env: [A-Z0-9_]+ ending in '_', and no
// prefix of a variable stowage reads for itself (STOWAGE_GIT_TOKEN, …), so
// that a commit cannot name one of them.
Status CheckEnvPrefix(std::string_view prefix);

}  // namespace stowage::secrets
