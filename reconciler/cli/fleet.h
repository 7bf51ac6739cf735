// What the commands that act on a fleet (plan, apply, status, run-task,
// unlock) share: the pipeline's load stage with its diagnostics printed
// (pipeline/load.h; nothing is used when any document has an error), the
// engines, and the cluster lock.
#pragma once

#include <memory>

#include "apply/lock.h"
#include "base/status.h"
#include "check/validate_source.h"
#include "cli/source_options.h"
#include "model/desired_state.h"
#include "runtime/runtime.h"
#include "secrets/resolve.h"

namespace stowage::cli {

// Opens the source and the operator's policy (--policy) and runs
// pipeline::Load on them; with `providers`, then every secret is looked up
// (pipeline::ResolveSecrets; the values into `*resolved` when given), an
// error at each valueFrom that does not resolve (the desired state is then
// dropped). Prints each diagnostic to stderr as `path:line:col: error:
// message`. An error only when the source or the policy cannot be opened.
Result<check::ValidatedSource> LoadChecked(const SourceOptions& options,
                                           const secrets::Providers* providers = nullptr,
                                           secrets::ResolvedSecrets* resolved = nullptr);

// The desired state of a loaded source: kInvalid "the source has errors;
// nothing was done" when it had an error.
Result<model::DesiredState> DesiredOf(check::ValidatedSource validated);

// LoadChecked, then DesiredOf.
Result<model::DesiredState> LoadDesired(const SourceOptions& options);

// A desired state with its secrets resolved (values only for BuildTaskSpec).
struct Resolved {
  model::DesiredState state;
  secrets::ResolvedSecrets secrets;
};

// LoadChecked with `providers` (nullptr: nothing resolved), then DesiredOf:
// revisions cover the secrets' values (secrets/resolve.h).
Result<Resolved> LoadResolved(const SourceOptions& options, const secrets::Providers* providers);

// What the commands that only look at a fleet (status, history) read: the
// desired state, or, when the source is invalid but its one cluster document
// decoded, a desired state holding only that cluster, with `invalid_errors`
// counting the source's errors (what runs can still be shown). kInvalid "the
// source has errors and no usable cluster document; nothing to show" without
// a cluster. `providers`: as for LoadChecked.
struct ToLookAt {
  model::DesiredState desired;
  int invalid_errors = 0;  // 0: the source is valid
};
Result<ToLookAt> LoadToLookAt(const SourceOptions& options,
                              const secrets::Providers* providers = nullptr);

// Prints `error: MESSAGE` to stderr; returns exit status 1.
int PrintError(const Status& status);

// The Docker Engine API factory every command uses; ssh:// hosts log in with
// the operator's --ssh-key (else the agent and ~/.ssh/config); `pull` is
// --pull's value ("missing", "always", "never").
std::unique_ptr<runtime::RuntimeFactory> MakeRuntimeFactory(const SourceOptions& source,
                                                            const std::string& pull = "missing");

// pipeline::Lock for this process, waiting up to `timeout`; tells stderr once
// when it has to wait.
Result<std::unique_ptr<apply::ClusterLock>> LockCluster(const model::DesiredState& desired,
                                                        runtime::RuntimeFactory& factory,
                                                        std::chrono::seconds timeout);

// The lock options LockCluster uses (the waiting message to stderr).
apply::LockOptions CliLockOptions(std::chrono::seconds timeout);

}  // namespace stowage::cli
