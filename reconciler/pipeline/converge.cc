#include "pipeline/converge.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "apply/clock.h"
#include "apply/retired.h"
#include "history/from_apply.h"
#include "history/store.h"
#include "observe/snapshot.h"
#include "plan/target_changes.h"
#include "source/template_values.h"

namespace stowage::pipeline {

Planned PlanFleet(const model::DesiredState& desired, runtime::RuntimeFactory& runtimes,
                  plan::PlanOptions options, FleetMemory* memory, apply::TrafficGate* gate) {
  Planned out;
  out.observed = observe::ObserveFleet(desired, runtimes, {.inspect = true});
  if (memory != nullptr) {
    options.now = memory->now();
    memory->hosts.Update(out.observed, options.now);
    options.down_since = memory->hosts.down_since();
  }
  out.plan = plan::MakePlan(desired, out.observed, options);
  if (!desired.cluster.load_balancers.empty()) {
    std::optional<targets::TargetListing> listing;
    if (gate != nullptr) listing = gate->ListAll();
    out.plan.targets =
        plan::PlanTargetChanges(out.plan, desired, out.observed, listing ? &*listing : nullptr);
  }
  return out;
}

namespace {

// "host web-2" / "hosts web-1, web-2".
std::string Named(const std::string& what, const std::vector<std::string>& names) {
  std::string out = what + (names.size() > 1 ? "s " : " ");
  for (size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : ", ") + names[i];
  return out;
}

}  // namespace

Status CheckSavedPlan(const plan::Plan& saved, const model::DesiredState& desired,
                      const observe::ObservedState& observed) {
  if (saved.source_revision != desired.source_revision) {
    return Status::Conflict("plan is stale: the source changed since the plan was made");
  }
  auto values = ChangedTemplateValues(saved.source.template_values, desired.template_values);
  if (!values.empty()) {
    return Status::Conflict("plan is stale: " + Named("template variable", values) +
                            " changed since the plan was made (--var-file, --template-env)");
  }
  if (saved.state_fingerprint == observed.Fingerprint()) return Status::Ok();
  auto changed = observe::ChangedHosts(saved.host_fingerprints, observed.HostFingerprints());
  if (changed.empty()) {
    return Status::Conflict("plan is stale: the hosts changed since the plan was made");
  }
  return Status::Conflict("plan is stale: " + Named("host", changed) +
                          " changed since the plan was made");
}

Result<std::unique_ptr<apply::ClusterLock>> Lock(const model::DesiredState& desired,
                                                 runtime::RuntimeFactory& runtimes,
                                                 apply::LockOptions options) {
  return apply::ClusterLock::Acquire(desired.cluster, runtimes, std::move(options));
}

std::unique_ptr<apply::TrafficGate> MakeTrafficGate(const model::DesiredState& desired,
                                                    const TrafficOptions& options) {
  if (options.routers == nullptr || desired.cluster.load_balancers.empty()) return nullptr;
  return std::make_unique<apply::TrafficGate>(desired, *options.routers, apply::SystemClock(),
                                              options.times, options.probe);
}

namespace {

void Merge(apply::SyncReport from, apply::SyncReport& into) {
  for (auto& c : from.applied) into.applied.push_back(std::move(c));
  for (auto& e : from.errors) into.errors.push_back(std::move(e));
}

// Stopped one-shot tasks beyond the newest kOneShotHistory per family and host
// go, on the hosts where `observed` (before the apply) had that many.
void PruneOneShots(const model::DesiredState& desired, runtime::RuntimeFactory& runtimes,
                   const observe::ObservedState& observed, ConvergeResult& out) {
  const auto hosts = apply::HostsWithOneShotHistory(observed, apply::kOneShotHistory);
  if (hosts.empty()) return;
  out.one_shots = apply::PruneOneShots(desired.cluster, runtimes, hosts, apply::kOneShotHistory,
                                       apply::SystemClock());
}

// Retired containers of earlier applies that exited go (apply/retired.h).
void CleanUp(const model::DesiredState& desired, runtime::RuntimeFactory& runtimes,
             const observe::ObservedState& observed) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  auto done = apply::CleanUpRetired(desired.cluster, observed, runtimes, now.count());
  if (done.removed + done.killed > 0) {
    spdlog::info(
        "removed {} stopped old container(s) of earlier deployments{}", done.removed + done.killed,
        done.killed > 0
            ? " (" + std::to_string(done.killed) + " killed: still running past their stop timeout)"
            : "");
  }
  for (const auto& e : done.errors) spdlog::warn("{}", e.message());
}

// Plan (or check the saved plan), remove retired containers, take dead tasks
// out of their target groups, approve, apply.
void Run(const model::DesiredState& desired, runtime::RuntimeFactory& runtimes,
         const ConvergeOptions& options, const ConvergeHooks& hooks, apply::TrafficGate* gate,
         ConvergeResult& out) {
  // A saved plan is applied as it is: the fresh one is made only to check it
  // is not stale, so the balancers' pools (its target changes) are not read.
  Planned planned =
      PlanFleet(desired, runtimes, options.plan, options.memory, options.saved ? nullptr : gate);
  out.stage = ConvergeResult::Stage::kPlanned;
  if (options.saved) {
    out.status = CheckSavedPlan(*options.saved, desired, planned.observed);
    if (!out.status.ok()) return;
    out.plan = *options.saved;
  } else {
    out.plan = std::move(planned.plan);
  }
  CleanUp(desired, runtimes, planned.observed);
  // A task that died leaves its target groups now, before anything else.
  if (gate != nullptr) Merge(gate->Sync(planned.observed), out.traffic);
  if (hooks.show) hooks.show(out.plan);
  if (!out.plan.errors.empty()) return;
  if (!out.plan.HasChanges()) return PruneOneShots(desired, runtimes, planned.observed, out);
  out.stage = ConvergeResult::Stage::kCancelled;
  if (hooks.approve && !hooks.approve(out.plan)) {
    out.status = Status::Cancelled("apply cancelled");
    return;
  }
  if (hooks.before_apply) {
    out.status = hooks.before_apply(out.plan);
    if (!out.status.ok()) return;
  }
  std::unique_ptr<apply::Observer> observer = hooks.observer ? hooks.observer(out.plan) : nullptr;
  apply::ApplyOptions apply_options = options.apply;
  apply_options.traffic = gate;
  out.applied = apply::Apply(out.plan, desired, runtimes, apply_options, observer.get());
  out.stage = ConvergeResult::Stage::kApplied;
  PruneOneShots(desired, runtimes, planned.observed, out);
}

// Every apply that changed the fleet, and a rollback also when nothing
// changed, leaves a record on the engines.
void Record(const model::DesiredState& desired, runtime::RuntimeFactory& runtimes,
            const HistoryOptions& options, ConvergeResult& out) {
  using Stage = ConvergeResult::Stage;
  const bool rollback_to_what_runs = !options.head.empty() && out.stage == Stage::kPlanned &&
                                     out.status.ok() && out.plan.errors.empty();
  if (out.stage != Stage::kApplied && !rollback_to_what_runs) return;
  history::ApplyContext c;
  c.by = options.by.empty() ? history::WhoAmI() : options.by;
  c.command = options.command;
  c.time = history::UnixMillis();
  c.details = {desired.source_git, desired.source_author, desired.source_subject};
  c.head = options.head;
  history::Record record = history::RecordOfApply(out.plan, out.applied, c);
  auto written = history::WriteRecord(desired.cluster, runtimes, record, {});
  if (written.ok()) {
    out.record = std::move(record);
  } else {
    out.history = written.status();
  }
}

}  // namespace

ConvergeResult ConvergeLocked(const model::DesiredState& desired, runtime::RuntimeFactory& runtimes,
                              const ConvergeOptions& options, const ConvergeHooks& hooks) {
  ConvergeResult out;
  const std::unique_ptr<apply::TrafficGate> gate = MakeTrafficGate(desired, options.traffic);
  Run(desired, runtimes, options, hooks, gate.get(), out);
  const bool applied = out.stage == ConvergeResult::Stage::kApplied;
  if (options.observe_after || (gate && applied)) {
    out.after = observe::ObserveFleet(desired, runtimes);
    if (options.memory != nullptr) {
      observe::ObservedState remembered = *out.after;  // what the hosts run now, for next time
      options.memory->hosts.Update(remembered, options.memory->now());
    }
    // The balancers heal drift: every bound target group holds the running tasks.
    if (gate) Merge(gate->Sync(*out.after), out.traffic);
  }
  if (options.observe_after) {
    std::optional<targets::TargetListing> listing;
    if (gate) listing = gate->ListAll();
    out.fleet = status::BuildStatus(desired, *out.after, listing ? &*listing : nullptr);
  }
  Record(desired, runtimes, options.history, out);
  if (hooks.finished) hooks.finished(desired, out);
  return out;
}

ConvergeResult Converge(const model::DesiredState& desired, runtime::RuntimeFactory& runtimes,
                        const ConvergeOptions& options, const ConvergeHooks& hooks) {
  auto lock = Lock(desired, runtimes, options.lock);
  if (!lock.ok()) {
    ConvergeResult out;
    out.status = lock.status();
    return out;
  }
  if (hooks.locked) hooks.locked();
  ConvergeResult out = ConvergeLocked(desired, runtimes, options, hooks);
  if (Status released = (*lock)->Release(); !released.ok() && out.status.ok()) {
    out.status = released;
  }
  return out;
}

int ConvergeResult::Changes() const {
  int n = 0;
  for (const auto& s : plan.services) {
    for (const auto& step : s.steps) n += static_cast<int>(step.actions.size());
  }
  return n;
}

int ConvergeResult::ExitCode() const {
  const int code = FleetCode();
  return code == 0 && !traffic.errors.empty() ? 1 : code;
}

int ConvergeResult::FleetCode() const {
  switch (stage) {
    case Stage::kLocked:
    case Stage::kCancelled:
      return 1;
    case Stage::kPlanned:
      if (!status.ok() || !plan.errors.empty()) return 1;
      return plan.summary.blocked_services > 0 ? 4 : 0;
    case Stage::kApplied:
      return applied.ExitCode();
  }
  return 1;
}

}  // namespace stowage::pipeline
