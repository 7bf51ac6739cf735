// The operator's secret providers on the command line.
//
// AddSecretOptions puts --secrets-dir DIR, --secrets-env PREFIX and
// --age-identity FILE (each also read from STOWAGE_SECRETS_DIR,
// STOWAGE_SECRETS_ENV, STOWAGE_AGE_IDENTITY when not given) on validate,
// plan, apply, status, run-task and watch; pipeline::ResolveSecrets
// (pipeline/load.h) looks every secret of a loaded desired state up through
// them (secrets/resolve.h).
#pragma once

#include <CLI/CLI.hpp>

#include "secrets/secret_store.h"

namespace stowage::cli {

void AddSecretOptions(CLI::App& cmd, secrets::Providers& providers);

}  // namespace stowage::cli
