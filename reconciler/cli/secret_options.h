// The operator's secret providers on the command line.
//
// AddSecretOptions puts --secrets-dir DIR, --secrets-env PREFIX and
// --age-identity FILE (each also read from STOWAGE_SECRETS_DIR,
// STOWAGE_SECRETS_ENV, STOWAGE_AGE_IDENTITY when not given) on validate,
// plan, apply, status, run-task and watch. ResolveDesired looks every secret
// of a loaded desired state up through them (secrets/resolve.h).
#pragma once

#include <CLI/CLI.hpp>

#include "diag/diagnostic.h"
#include "model/desired_state.h"
#include "secrets/resolve.h"
#include "secrets/secret_store.h"
#include "source/source.h"

namespace stowage::cli {

void AddSecretOptions(CLI::App& cmd, secrets::Providers& providers);

// Checks the providers, then resolves every secret of `desired` (age: files
// read from `source`), adding an error per secret that does not resolve.
secrets::ResolvedSecrets ResolveDesired(model::DesiredState& desired, Source& source,
                                        const secrets::Providers& providers, Diagnostics& diags);

}  // namespace stowage::cli
