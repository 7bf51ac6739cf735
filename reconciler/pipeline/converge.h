// The rest of the pipeline: observe -> plan -> apply -> result, written once.
//
// PlanFleet observes the fleet (with inspection, to see `docker update` drift)
// and plans; `stowage plan` stops there. Converge is the one way to change a
// fleet, for `stowage apply`, `stowage rollback` and the watcher: it takes the
// cluster lock, runs PlanFleet, checks a saved plan against what runs (apply
// PLANFILE), takes dead tasks out of their target groups, shows the plan to
// the caller, stops on plan errors or when nothing changes, asks for approval,
// applies (through the traffic gate: a new task takes traffic once healthy, an
// old one is drained before it stops), observes again and heals drift in the
// load balancers, removes stopped one-shot tasks beyond the newest 5 per family
// and host, records the run in the deploy history on the engines,
// releases the lock and returns a ConvergeResult with one exit code.
// ConvergeLocked is the same with the lock already held (the watcher reads
// the deploy history under it first, to honour a quarantine).
//
// ConvergeHooks are the seams for what is layered on top: `show` and `approve`
// (the CLI prints the plan and asks), `before_apply` (release notifications;
// may reorder the plan or refuse it), `observer` (the apply's progress) and
// `finished` (every run that got past the lock, whatever its outcome). The
// pipeline itself prints nothing.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "apply/applier.h"
#include "apply/lock.h"
#include "apply/one_shot_history.h"
#include "apply/traffic_gate.h"
#include "base/status.h"
#include "history/record.h"
#include "model/desired_state.h"
#include "observe/host_memory.h"
#include "observe/observed.h"
#include "plan/plan.h"
#include "plan/planner.h"
#include "runtime/runtime.h"
#include "status/fleet_status.h"
#include "traffic/router.h"

namespace stowage::pipeline {

// What a long-running caller (the watcher) remembers between runs so the
// unreachable grace is measured from when a host was first seen down.
struct FleetMemory {
  observe::HostMemory hosts;
  std::function<plan::PlanOptions::Time()> now = std::chrono::steady_clock::now;
};

struct Planned {
  observe::ObservedState observed;  // as planned against (unreachable hosts' remembered tasks in)
  plan::Plan plan;
};

// Observe (inspecting task containers) and plan. With `memory`, hosts down are
// remembered across calls and `options.now` / `options.down_since` come from it.
// The plan's target changes (plan/target_changes.h) are made against the pools
// `gate` lists, or, without a gate, from the plan's starts and stops alone.
Planned PlanFleet(const model::DesiredState& desired, runtime::RuntimeFactory& runtimes,
                  plan::PlanOptions options, FleetMemory* memory = nullptr,
                  apply::TrafficGate* gate = nullptr);

// A saved plan (apply PLANFILE) checked against the source and what runs now:
// kConflict "plan is stale: ..." naming the hosts that changed.
Status CheckSavedPlan(const plan::Plan& saved, const model::DesiredState& desired,
                      const observe::ObservedState& observed);

// The cluster lock for one run (its container brings its own image, apply/lock.h).
Result<std::unique_ptr<apply::ClusterLock>> Lock(const model::DesiredState& desired,
                                                 runtime::RuntimeFactory& runtimes,
                                                 apply::LockOptions options);

// The traffic layer: the routers of the cluster's load balancers.
struct TrafficOptions {
  traffic::RouterFactory* routers = nullptr;  // unset: no traffic layer
  apply::GateTimes times;
  apply::HealthProbe probe;  // GET healthCheckPath on a new target; unset: not probed
};

// The gate of `desired`'s load balancers (apply/traffic_gate.h), or nullptr
// without routers or when its cluster declares no load balancer.
std::unique_ptr<apply::TrafficGate> MakeTrafficGate(const model::DesiredState& desired,
                                                    const TrafficOptions& options);

// Who and what the deploy history (history/store.h) names for a run.
struct HistoryOptions {
  std::string by;                 // "alice@laptop", "watcher@box"; default history::WhoAmI()
  std::string command = "apply";  // "apply", "watch", "rollback"
  // A rollback: the source's newest revision, moved away from. The run is
  // then recorded even when nothing changes (what runs already is the target:
  // the record still moves a watcher off the head).
  std::string head;
};

struct ConvergeResult;

struct ConvergeHooks {
  // Told once the cluster lock is held, before the fleet is observed.
  std::function<void()> locked;
  // Told the plan as soon as it is made (also when it has errors or no changes).
  std::function<void(const plan::Plan&)> show;
  // Asked before anything changes, only when the plan has changes and no errors;
  // false cancels the run (nothing applied). Unset: approved.
  std::function<bool(const plan::Plan&)> approve;
  // Told just before the apply (release notifications); may reorder the
  // plan's services and steps, or refuse (a non-OK status ends the run,
  // nothing applied). Unset: no change.
  std::function<Status(plan::Plan&)> before_apply;
  // Told every run that took the lock, once it is over (recorded in the
  // deploy history; the lock is still held).
  std::function<void(const model::DesiredState&, const ConvergeResult&)> finished;
  // Made once the plan is approved, told the apply's progress. Unset: none.
  std::function<std::unique_ptr<apply::Observer>(const plan::Plan&)> observer;
};

struct ConvergeOptions {
  plan::PlanOptions plan;  // --prune, --target ...; the cluster's prune is the planner's
  apply::ApplyOptions apply;
  apply::LockOptions lock;
  std::optional<plan::Plan> saved;  // apply this plan (checked) instead of a fresh one
  FleetMemory* memory = nullptr;    // the watcher's; null for one-shot commands
  bool observe_after = false;       // observe again after the run (`after`, `fleet`)
  TrafficOptions traffic;
  HistoryOptions history;
};

struct ConvergeResult {
  enum class Stage {
    kLocked,     // the lock was not taken (status says why)
    kPlanned,    // stopped after planning: stale saved plan, plan errors, nothing to do
    kCancelled,  // the caller did not approve, or before_apply refused
    kApplied,    // the plan was applied (`applied` says how it went)
  };
  Stage stage = Stage::kLocked;
  Status status;  // OK, or why the run stopped before applying
  plan::Plan plan;
  apply::ApplyResult applied;  // empty unless kApplied
  // With observe_after (or after an apply with a traffic layer): what runs
  // after the run; with observe_after its status model too (with the targets
  // the load balancers hold).
  std::optional<observe::ObservedState> after;
  std::optional<status::FleetStatus> fleet;
  // What the load balancers were told outside the apply (dead tasks taken
  // out before it, drift healed after it), and what failed there.
  apply::SyncReport traffic;
  // Stopped one-shot tasks removed beyond the newest apply::kOneShotHistory
  // per family per host (apply/one_shot_history.h), after the apply or when
  // there was nothing to apply; failures there fail nothing.
  apply::PruneReport one_shots;
  // The deploy record written, or why none could be (`history` not OK: no
  // host took it; the run itself is not failed by that).
  std::optional<history::Record> record;
  Status history;

  // Plan actions (every start, stop and remove of every step).
  int Changes() const;
  // What the fleet's tasks say, the load balancers aside: 0 converged (or
  // nothing to do), 1 error (lock, stale plan, plan errors, cancelled, a
  // service failed), 3 a deployment was rolled back, 4 some tasks could not
  // be placed.
  int FleetCode() const;
  // FleetCode, but 1 instead of 0 when a load balancer could not be synced.
  int ExitCode() const;
};

ConvergeResult Converge(const model::DesiredState& desired, runtime::RuntimeFactory& runtimes,
                        const ConvergeOptions& options, const ConvergeHooks& hooks = {});

// Converge with the cluster lock already held by the caller (pipeline::Lock).
ConvergeResult ConvergeLocked(const model::DesiredState& desired, runtime::RuntimeFactory& runtimes,
                              const ConvergeOptions& options, const ConvergeHooks& hooks = {});

}  // namespace stowage::pipeline
