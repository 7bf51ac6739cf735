// The applier: executes a Plan against the engines, safely.
//
// Apply() runs every service of the plan concurrently, in dependency order
// (apply/release_gates.h): a service whose plan order has waiting gates
// first pulls its images, then waits until the services it depends on
// reach their condition and runs its one-shot tasks (apply/one_shot.h) in
// the order written; a dependency that fails leaves it not deployed, on its
// old tasks. A service first pulls
// the images of its task definition on every host that will start a new task
// (the pull phase: pulls in parallel, at most `pull_parallelism` per host; a
// failure fails the service before anything is stopped), then runs its steps
// in order. A step's phases, in order:
//   start   its new tasks are created and started, all at once, with at most
//           `parallelism` creates/starts/removes in flight per host;
//   gate    each new task waits until healthy (essential containers running
//           and healthy by their Docker health check, or running for the
//           settle period); tasks of the target revision that ran before this
//           apply (--no-wait, or a killed apply) pass the same gate before the
//           first old task is stopped;
//   stop    each old task is stopped as soon as enough of the step's new
//           tasks are healthy to keep the minimum healthy (one per healthy
//           new task, plus any slack the plan left), not after the whole
//           step; stops are bounded per host by `stop_parallelism` (a bound
//           of their own, much larger: a stop mostly waits out the
//           container's stopTimeout, and never queues behind creates); a
//           stopped task is kept, not removed;
//   remove  tasks the step drops outright (scale-in, prune) are stopped and
//           removed in the same pass as the stops.
// Stopped old tasks are removed when the service's last step succeeded, so
// a rollback can restart them. The circuit breaker counts failed new tasks; a
// failed task is replaced (same task id) until the threshold trips; attempts
// that could push the count past the threshold wait (failures counted plus
// attempts in flight never exceed it); once it trips no new task starts and,
// with rollback, the new tasks are removed and the stopped old ones
// restarted. A start that fails for good without the breaker (the service
// fails) is undone the same way once old tasks were stopped: no capacity is
// lost. Every step is idempotent (see task_ops.h): a crash at any point
// followed by plan + apply converges without duplicates.
//
// This is the library entry point the CLI (`stowage apply`) and the watcher
// share. Progress is reported through an Observer; time passes through a
// Clock so unit tests on the fake runtime run instantly.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "apply/clock.h"
#include "apply/container_spec.h"
#include "apply/events.h"
#include "model/desired_state.h"
#include "plan/plan.h"
#include "runtime/runtime.h"

namespace stowage::apply {

class TrafficGate;  // apply/traffic_gate.h

struct ApplyOptions {
  int parallelism = 8;                      // creates, starts, removes in flight per host
  int stop_parallelism = 64;                // stops in flight per host (never behind creates)
  int pull_parallelism = 4;                 // image pulls in flight per host
  std::chrono::milliseconds settle{10000};  // healthy after running this long (no check)
  std::chrono::milliseconds poll{500};      // state polling interval
  std::chrono::milliseconds gate_timeout{600000};  // a task not healthy by then has failed
  // false (--no-wait): nothing that depends on a new task's health is done.
  // A service's new tasks of its first step that starts any are created and
  // started (failures to start still count for the circuit breaker), no
  // health gate is awaited, and the service stops there: its old tasks keep
  // running and later steps are left for the next apply that waits (or the
  // watcher). Steps before it with only stops/removes (scale in, prune) run.
  bool wait = true;
  // The stops of a service's last step are handed to the engines (the
  // engine sends SIGKILL after the stop timeout on its own): apply returns
  // once the new tasks are healthy and the old ones are told to stop, as
  // Docker Swarm does, not a stop timeout later. true (--wait-stopped): every
  // stop is waited for and every old task removed before apply returns.
  bool wait_stopped = false;
  // Set (e.g. by a signal handler) to stop starting new work: the step in
  // flight finishes, later steps are skipped.
  const std::atomic<bool>* cancel = nullptr;
  SecretResolver resolve_secret = NoSecrets;
  // Services bound to target groups (apply/traffic_gate.h): a new or
  // restarted task is registered once healthy, and a task is drained and
  // deregistered before it is stopped or removed. Unset: no traffic layer.
  TrafficGate* traffic = nullptr;
};

// kPending: --no-wait started new tasks and returned before their health
// was known (exit status 0: everything asked for was started).
// kNotDeployed: a dependency (dependsOn) failed; the service kept its old
// tasks and ServiceResult::cause says what started it.
enum class Outcome {
  kConverged,
  kRolledBack,
  kFailed,
  kBlocked,
  kCancelled,
  kPending,
  kNotDeployed
};
const char* OutcomeName(Outcome o);  // "converged", "rolled back", "failed", "not deployed", ...

struct ServiceResult {
  std::string service;
  Outcome outcome = Outcome::kConverged;
  std::string message;  // why, for anything but converged
  int started = 0;      // new tasks that passed their gate
  int stopped = 0;      // old tasks stopped (and then removed, unless the deployment failed)
  int removed = 0;      // each task once (a retried task is removed before its retry too)
  int failed = 0;       // new tasks that failed (each once, however many attempts)
  int blocked = 0;      // tasks the plan could not place
  // kNotDeployed: the outcome at the root of the dependency chain that kept
  // it back (db rolled back: kRolledBack; a migration exited 1: kFailed).
  Outcome cause = Outcome::kConverged;
  // Old tasks whose stop was handed to their engine and that still ran at the
  // end (retired; a later apply removes them). Not counted in `stopped`.
  int stopping = 0;
};

struct ApplyResult {
  std::vector<ServiceResult> services;  // in plan order
  // The source's services the plan left alone (nothing to do, or not
  // --target'ed), in name order: the rest of the release summary.
  std::vector<std::string> unchanged;
  // 0 converged (or, with --no-wait, everything started), 1 error (a service
  // failed or was cancelled), 3 a deployment was rolled back, 4 some tasks
  // could not be placed (the rest applied). A service not deployed counts as
  // its cause. The first that applies wins: 1, then 3, then 4. Unchanged
  // services count as converged.
  int ExitCode() const;
};

// The release of a plan with nothing to start or stop: its services with
// tasks that cannot be placed are blocked, every other service unchanged.
ApplyResult NothingToApply(const model::DesiredState& desired, const plan::Plan& plan);

ApplyResult Apply(const plan::Plan& plan, const model::DesiredState& desired,
                  runtime::RuntimeFactory& runtimes, const ApplyOptions& options,
                  Observer* observer = nullptr, Clock& clock = SystemClock());

}  // namespace stowage::apply
