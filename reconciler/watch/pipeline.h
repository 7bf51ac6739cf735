// PipelineReconciler: the watcher's Reconciler, on the one pipeline.
//
// Load is pipeline::Load through a parse cache (only changed blobs are
// parsed): the same checks `stowage validate` runs, the operator's policy
// included; any error makes the revision invalid (kInvalid, the first errors
// as `file:line:col: message`). Apply takes the cluster lock (pipeline::Lock,
// the one `stowage apply` takes) and runs pipeline::ConvergeLocked as `stowage
// apply --auto-approve` runs it, with the watcher's memory of down hosts, its
// traffic layer and a second observation for the counts: per service
// desired/running/healthy from the one status model (status/fleet_status.h),
// which /status and /metrics publish. The applier honours
// ApplyOptions::cancel, so a stop finishes or rolls back the step in flight
// before the lock is released. Every apply that changed something is recorded
// in the deploy history on the engines (by the pipeline); a revision the
// history quarantines (it rolled back, or `stowage rollback` moved away from
// it) is not applied: kRolledBack, so the watcher marks it failed, across
// restarts.
//
// Secrets: Load looks every secret up through the operator's providers (one
// that does not resolve makes the load fail with kNotFound, retried with
// backoff, so adding the missing secret is enough); Apply looks them up again
// each time, so a changed value rolls its service out at the next reconcile
// even without a new revision (age: files are read at the desired revision).
#pragma once

#include <functional>
#include <vector>

#include "apply/applier.h"
#include "apply/lock.h"
#include "history/record.h"
#include "load/load_source.h"
#include "pipeline/converge.h"
#include "plan/planner.h"
#include "policy/policy.h"
#include "runtime/runtime.h"
#include "secrets/resolve.h"
#include "status/fleet_status.h"
#include "watch/reconciler.h"

namespace stowage::watch {

struct PipelineOptions {
  plan::PlanOptions plan;
  apply::ApplyOptions apply;
  apply::LockOptions lock;
  secrets::Providers secrets;  // --secrets-dir, --secrets-env, --age-identity
  // Time for the unreachable grace: a host's first-seen-down is remembered from
  // one reconcile to the next (observe/host_memory.h), with the tasks it last ran.
  std::function<plan::PlanOptions::Time()> now = std::chrono::steady_clock::now;
  // The cluster's load balancers; unset routers: no traffic layer. Each
  // reconcile first takes dead tasks out of their target groups, applies
  // (registering after healthy, draining before stop), then heals drift.
  pipeline::TrafficOptions traffic;
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
  // kRolledBack when the deploy history (`records`, read once per reconcile)
  // quarantines `desired` (after converging on the history's last good
  // revision, when the source can load it); an empty message otherwise.
  // Under the lock.
  ApplyOutcome Quarantine(const model::DesiredState& desired,
                          const std::vector<history::Record>& records,
                          std::vector<history::Record>& written);
  // pipeline::ConvergeLocked with the watcher's options (and `resolved` for
  // the containers' secrets); the deploy record it wrote, if any, is added to
  // `written`. Under the lock.
  ApplyOutcome Converge(const model::DesiredState& desired,
                        const secrets::ResolvedSecrets& resolved,
                        std::vector<history::Record>& written);
  // Load, with the secret values it looked up in `resolved`.
  Result<model::DesiredState> LoadResolved(Source& source, secrets::ResolvedSecrets& resolved);
  // The desired state with its secrets looked up now (age: files read from
  // `source`), or the errors (kNotFound: adding the secret is enough).
  Result<model::DesiredState> Resolve(model::DesiredState desired, Source* source,
                                      secrets::ResolvedSecrets& out);
  // Resolve at apply time, with age: files read at `desired`'s revision.
  Result<model::DesiredState> ResolveAgain(const model::DesiredState& desired,
                                           secrets::ResolvedSecrets& out);

  runtime::RuntimeFactory& runtimes_;
  PipelineOptions options_;
  std::function<void(const model::Cluster&)> on_cluster_;
  load::LoadCache cache_;
  Source* source_ = nullptr;  // the watcher's, for earlier revisions
  pipeline::FleetMemory memory_;
};

// The outcome the watcher reports for one converge run.
ApplyOutcome OutcomeOf(const pipeline::ConvergeResult& result);

// The newest deploy records, for /status and the status page (newest first):
// those read at the start of the reconcile and those it wrote, merged.
nlohmann::json HistoryRows(std::vector<history::Record> read,
                           const std::vector<history::Record>& written);

// Desired/running/healthy per service, from the status model, and which hosts answered.
void CountTasks(const status::FleetStatus& fleet, ApplyOutcome& out);

}  // namespace stowage::watch
