// The first stages of the pipeline: source -> load -> check.
//
// Load is the one way from a Source to a model::DesiredState, for every
// command and for the watcher: LoadSource (parse, schema, decode; through a
// parse cache when given one, so a watcher parses only changed files), then
// every check of check/ (one cluster document, names, references, ECS limits,
// deployments, endpoints, TLS files as the runtime will open them) and the
// operator's policy. The desired state is present only without errors.
// ResolveSecrets is the stage after it, for the commands that pass secret
// providers.
// docs/ARCHITECTURE.md has the whole pipeline.
#pragma once

#include <string>

#include "check/validate_source.h"
#include "diag/diagnostic.h"
#include "load/load_source.h"
#include "policy/policy.h"
#include "secrets/resolve.h"
#include "secrets/secret_store.h"
#include "source/source.h"

namespace stowage::pipeline {

// `policy`: what the operator allows (--policy; default baseline). `cache`:
// null for the one-shot commands; the watcher keeps one across loads.
check::ValidatedSource Load(Source& source, const policy::Policy& policy = policy::Policy{},
                            load::LoadCache* cache = nullptr);

// The resolve stage, after check (it recomputes the revisions of task
// definitions with secrets): checks the operator's providers, then looks every
// secret of `desired` up through them (age: files read from `source`, which
// may be null), adding an error per secret that does not resolve
// (secrets/resolve.h).
secrets::ResolvedSecrets ResolveSecrets(model::DesiredState& desired, Source* source,
                                        const secrets::Providers& providers, Diagnostics& diags);

// The first `limit` errors as `file:line:col: message`, joined by "; ", then
// "; and N more" (what the watcher reports for an invalid revision).
std::string FirstErrors(const Diagnostics& diagnostics, int limit = 5);

}  // namespace stowage::pipeline
