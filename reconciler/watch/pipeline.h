// PipelineReconciler: the watcher's Reconciler built from the real pipeline.
//
// Load: LoadSource through a parse cache (only changed blobs are parsed),
// then the semantic checks; any error makes the revision invalid (kInvalid,
// the first errors as `file:line:col: message`). Apply: take the cluster lock
// (the same one `stowage apply` takes), snapshot the engines, plan, apply,
// snapshot again for the per-service counts, release the lock. The applier
// honours ApplyOptions::cancel, so a stop finishes or rolls back the step in
// flight before the lock is released. Every apply that changed something is
// recorded in the deploy history on the engines; a revision the history
// quarantines (it rolled back, or `stowage rollback` moved away from it) is
// not applied: kRolledBack, so the watcher marks it failed, across restarts.
//
// Secrets: Load looks every secret up through the operator's providers (one
// that does not resolve makes the load fail with kNotFound, retried with
// backoff, so adding the missing secret is enough); Apply looks them up again
// each time, so a changed value rolls its service out at the next reconcile
// even without a new revision (age: files are read at the desired revision).
#pragma once

#include <functional>

#include "apply/applier.h"
#include "apply/lock.h"
#include "apply/traffic_gate.h"
#include "load/load_source.h"
#include "observe/host_memory.h"
#include "plan/planner.h"
#include "policy/policy.h"
#include "runtime/runtime.h"
#include "secrets/resolve.h"
#include "traffic/router.h"
#include "watch/reconciler.h"

namespace stowage::watch {

struct PipelineOptions {
  plan::PlanOptions plan;
  apply::ApplyOptions apply;
  apply::LockOptions lock;
  secrets::Providers secrets;  // --secrets-dir, --secrets-env, --age-identity
  // Time for the unreachable grace: a host's first-seen-down is remembered from
  // one reconcile to the next (plan/host_memory.h), with the tasks it last ran.
  std::function<plan::PlanOptions::Time()> now = std::chrono::steady_clock::now;
  // The cluster's load balancers (traffic/router.h); unset: no traffic layer.
  // Each reconcile first takes dead tasks out of their target groups, applies
  // (registering after healthy, draining before stop), then heals drift.
  traffic::RouterFactory* routers = nullptr;
  apply::HealthProbe probe{};
  // Who the deploy history names for this watcher's applies; default
  // "watcher@<machine>".
  std::string history_by;
  // What a revision may ask of the hosts (--policy); a violation skips it.
  policy::Policy policy;
};

class PipelineReconciler : public Reconciler {
 public:
  // `on_cluster` is told the cluster of every revision that loads (to follow its events).
  PipelineReconciler(runtime::RuntimeFactory& runtimes, PipelineOptions options,
                     std::function<void(const model::Cluster&)> on_cluster = {});
  Result<model::DesiredState> Load(Source& source) override;
  ApplyOutcome Apply(const model::DesiredState& desired, const std::atomic<bool>& stop) override;
  void SetSource(Source* source) override { source_ = source; }

 private:
  // kRolledBack when the deploy history quarantines `desired` (after
  // converging on the history's last good revision, when the source can load
  // it); an empty message otherwise. Under the lock.
  ApplyOutcome Quarantine(const model::DesiredState& desired, const std::atomic<bool>& stop);
  // Observe, plan, apply (with `resolved` for the containers' secrets),
  // record, count. Under the lock.
  ApplyOutcome Converge(const model::DesiredState& desired,
                        const secrets::ResolvedSecrets& resolved, const std::atomic<bool>& stop);
  void AddHistory(const model::Cluster& cluster, ApplyOutcome& out);
  // Leaves an apply in the deploy history (history/store.h); a failure is logged.
  void Record(const model::DesiredState& desired, const plan::Plan& plan,
              const apply::ApplyResult& result);

  runtime::RuntimeFactory& runtimes_;
  PipelineOptions options_;
  std::function<void(const model::Cluster&)> on_cluster_;
  // Load, with the secret values it looked up in `resolved`.
  Result<model::DesiredState> LoadResolved(Source& source, secrets::ResolvedSecrets& resolved);
  // The desired state with its secrets looked up now (age: files read from
  // `source`), or the errors (kNotFound: adding the secret is enough).
  Result<model::DesiredState> Resolve(model::DesiredState desired, Source* source,
                                      secrets::ResolvedSecrets& out);
  // Resolve at apply time, with age: files read at `desired`'s revision.
  Result<model::DesiredState> ResolveAgain(const model::DesiredState& desired,
                                           secrets::ResolvedSecrets& out);

  load::LoadCache cache_;
  Source* source_ = nullptr;  // the watcher's, for earlier revisions
  observe::HostMemory hosts_;
};

// Desired/running/healthy per service of `desired`, and which hosts answered.
void CountTasks(const model::DesiredState& desired, const observe::ObservedState& observed,
                ApplyOutcome& out);

}  // namespace stowage::watch
