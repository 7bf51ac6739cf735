// Observing the fleet: the one place that asks the engines what runs.
//
// TakeSnapshot asks every registered host's engine, concurrently, for its Info
// and one label-filtered List (this cluster, this registered host), through the
// Runtime seam (runtime/runtime.h); a host that does not answer is recorded
// with its error, never fatal; the inspections of one host run concurrently,
// bounded. ObserveFleet adds BuildObservedState
// (observe/observed.h, pure). Everything above this folder that needs to know
// what runs gets it from here; the planner itself never does I/O.
#pragma once

#include "model/cluster.h"
#include "model/desired_state.h"
#include "observe/observed.h"
#include "runtime/runtime.h"

namespace stowage::observe {

struct SnapshotOptions {
  int max_parallel = 32;  // hosts asked at once
  // Also inspect every running task container (one call each) for the
  // configuration an operator can change in place, so the planner sees
  // `docker update` drift. The commands that plan (plan, apply, watch) set it.
  bool inspect = false;
  // Inspects in flight per host (the engine client bounds its calls too).
  int max_inspects_per_host = 8;
};

// Info + one List per host, all hosts concurrently. Never fails as a whole.
Snapshot TakeSnapshot(const model::Cluster& cluster, runtime::RuntimeFactory& factory,
                      const SnapshotOptions& options = {});

// TakeSnapshot of the desired cluster, then BuildObservedState with the desired
// state's definitions: what every command that looks at the fleet starts with
// (the ones that plan pass {.inspect = true}, to see drift).
ObservedState ObserveFleet(const model::DesiredState& desired, runtime::RuntimeFactory& factory,
                           const SnapshotOptions& options = {});

}  // namespace stowage::observe
