// PipelineReconciler: the watcher's Reconciler built from the real pipeline.
//
// Load: LoadSource through a parse cache (only changed blobs are parsed),
// then the semantic checks; any error makes the revision invalid (kInvalid,
// the first errors as `file:line:col: message`). Apply: take the cluster lock
// (the same one `stowage apply` takes), snapshot the engines, plan, apply,
// snapshot again for the per-service counts, release the lock. The applier
// honours ApplyOptions::cancel, so a stop finishes or rolls back the step in
// flight before the lock is released.
#pragma once

#include <functional>

#include "apply/applier.h"
#include "apply/lock.h"
#include "load/load_source.h"
#include "observe/host_memory.h"
#include "plan/planner.h"
#include "runtime/runtime.h"
#include "apply/traffic_gate.h"
#include "traffic/router.h"
#include "watch/reconciler.h"

namespace stowage::watch {

struct PipelineOptions {
  plan::PlanOptions plan;
  apply::ApplyOptions apply;
  apply::LockOptions lock;
  // Time for the unreachable grace: a host's first-seen-down is remembered from
  // one reconcile to the next (plan/host_memory.h), with the tasks it last ran.
  std::function<plan::PlanOptions::Time()> now = std::chrono::steady_clock::now;
  // The cluster's load balancers (traffic/router.h); unset: no traffic layer.
  // Each reconcile first takes dead tasks out of their target groups, applies
  // (registering after healthy, draining before stop), then heals drift.
  traffic::RouterFactory* routers = nullptr;
  apply::HealthProbe probe{};
};

class PipelineReconciler : public Reconciler {
 public:
  // `on_cluster` is told the cluster of every revision that loads (to follow its events).
  PipelineReconciler(runtime::RuntimeFactory& runtimes, PipelineOptions options,
                     std::function<void(const model::Cluster&)> on_cluster = {});
  Result<model::DesiredState> Load(Source& source) override;
  ApplyOutcome Apply(const model::DesiredState& desired, const std::atomic<bool>& stop) override;

 private:
  runtime::RuntimeFactory& runtimes_;
  PipelineOptions options_;
  std::function<void(const model::Cluster&)> on_cluster_;
  load::LoadCache cache_;
  observe::HostMemory hosts_;
};

// Desired/running/healthy per service of `desired`, and which hosts answered.
void CountTasks(const model::DesiredState& desired, const observe::ObservedState& observed,
                ApplyOutcome& out);

}  // namespace stowage::watch
