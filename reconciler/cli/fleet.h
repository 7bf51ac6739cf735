// What the commands that act on a fleet (apply, status, run-task, unlock) share:
// loading the desired state from a source (diagnostics to stderr; nothing is
// used when any document has an error) and reaching the engines.
#pragma once

#include <memory>

#include "apply/lock.h"
#include "base/status.h"
#include "cli/source_options.h"
#include "model/desired_state.h"
#include "runtime/runtime.h"
#include "secrets/resolve.h"

namespace stowage::cli {

// Loads and checks every document; prints each diagnostic as
// `path:line:col: error: message`. kInvalid when there was an error.
// Diagnostics go to stderr; a copy goes to `*diagnostics` when given.
Result<model::DesiredState> LoadDesired(const SourceOptions& options,
                                        Diagnostics* diagnostics = nullptr);

// A desired state with its secrets resolved (values only for BuildTaskSpec).
struct Resolved {
  model::DesiredState state;
  secrets::ResolvedSecrets secrets;
};

// LoadDesired, then every secret looked up through `providers` (an error at
// each valueFrom that does not resolve, printed like the others), so that
// revisions cover the values (secrets/resolve.h). nullptr: nothing resolved.
// A copy of the diagnostics goes to `*diagnostics` when given.
Result<Resolved> LoadResolved(const SourceOptions& options, const secrets::Providers* providers,
                              Diagnostics* diagnostics = nullptr);

// Prints `error: MESSAGE` to stderr; returns exit status 1.
int PrintError(const Status& status);

// The Docker Engine API factory every command uses; ssh:// hosts log in with
// the operator's --ssh-key (else the agent and ~/.ssh/config); `pull` is
// --pull's value ("missing", "always", "never").
std::unique_ptr<runtime::RuntimeFactory> MakeRuntimeFactory(const SourceOptions& source,
                                                            const std::string& pull = "missing");

// Takes the cluster lock (apply/lock.h) for this process, waiting up to
// `timeout` (the lock brings its own image). Tells stderr once when it has to
// wait.
Result<std::unique_ptr<apply::ClusterLock>> LockCluster(const model::DesiredState& desired,
                                                        runtime::RuntimeFactory& factory,
                                                        std::chrono::seconds timeout);

}  // namespace stowage::cli
