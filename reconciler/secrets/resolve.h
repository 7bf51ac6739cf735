// Resolve: every secret of a desired state, looked up before anything changes
// on a host, and folded into the revisions.
//
// validate (with providers), plan, apply, run-task and watch call
// ResolveSecrets after the source validated: each distinct valueFrom is
// looked up once through the SecretStore; one that does not resolve is an
// error at its valueFrom (file:line:col), naming the secret and the
// reference, never a value. When all resolve, each task definition with
// secrets gets a new revision: its normalised-content revision mixed with
// HMAC-SHA-256(K, values), K being the store's per-cluster fingerprint key.
// So a changed value rolls the service out, while a plan or a label shows
// only a keyed digest that no one without the operator's key can test a
// guessed value against. The values are kept (wiped on destruction) for
// apply::BuildTaskSpec, the only place they leave: the container's
// environment. Registry credentials (repositoryCredentials) are looked up
// and checked (secrets/registry_credentials.h) the same way, an error at the
// credentialsParameter, but stay out of the revisions; they leave only as
// the credentials of their image's pull.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "base/status.h"
#include "diag/diagnostic.h"
#include "model/desired_state.h"
#include "secrets/secret_store.h"

namespace stowage::secrets {

class ResolvedSecrets {
 public:
  ResolvedSecrets() = default;
  ResolvedSecrets(ResolvedSecrets&&) = default;
  ResolvedSecrets& operator=(ResolvedSecrets&&) = default;

  // The value resolved for `value_from` (kNotFound: it was not resolved).
  Result<std::string> Value(const std::string& value_from) const;
  // Value() as an apply::SecretResolver; `this` must outlive it.
  std::function<Result<std::string>(const std::string&)> Resolver() const;
  std::size_t size() const { return values_.size(); }

  void Add(const std::string& value_from, Secret secret);
  bool Contains(const std::string& value_from) const { return values_.count(value_from) > 0; }

 private:
  std::map<std::string, Secret> values_;
};

// Resolves and fingerprints (see above). Revisions change only when every
// secret resolved; calling it again on the same state gives the same result
// for the same values.
ResolvedSecrets ResolveSecrets(model::DesiredState& desired, SecretStore& store,
                               Diagnostics& diags);

// Whether any container of `desired` has secrets or repository credentials.
bool AnySecrets(const model::DesiredState& desired);

// Every valueFrom and credentialsParameter of `td` has a valid form (secrets/reference.h), an error
// at the valueFrom otherwise. Part of validation, with or without providers.
void CheckReferences(const model::TaskDefinition& td, Diagnostics& diags);

}  // namespace stowage::secrets
