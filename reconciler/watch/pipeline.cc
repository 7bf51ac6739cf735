#include "watch/pipeline.h"

#include <filesystem>
#include <optional>

#include "check/checks.h"
#include "observe/snapshot.h"
#include "render/status.h"
#include "status/fleet_status.h"

namespace stowage::watch {
namespace {

constexpr int kErrorsShown = 5;

std::string FirstErrors(const Diagnostics& diags) {
  std::string out;
  int shown = 0;
  for (const auto& d : diags.items()) {
    if (d.severity != Severity::kError) continue;
    if (shown == kErrorsShown) {
      out += "; and " + std::to_string(diags.errors() - shown) + " more";
      break;
    }
    out += (shown++ == 0 ? "" : "; ") + FormatDiagnostic(d);
  }
  return out;
}

ApplyOutcome Failed(std::string message) {
  ApplyOutcome o;
  o.kind = ApplyOutcome::Kind::kError;
  o.message = std::move(message);
  return o;
}

}  // namespace

PipelineReconciler::PipelineReconciler(runtime::RuntimeFactory& runtimes, PipelineOptions options,
                                       std::function<void(const model::Cluster&)> on_cluster)
    : runtimes_(runtimes), options_(std::move(options)), on_cluster_(std::move(on_cluster)) {}

Result<model::DesiredState> PipelineReconciler::Load(Source& source) {
  load::LoadedSource loaded = load::LoadSource(source, cache_);
  if (loaded.ok()) {
    check::CheckContext ctx;
    const std::string root = source.LocalRoot();
    if (!root.empty()) {
      ctx.file_exists = [root](const std::string& p) {
        std::error_code ec;
        return std::filesystem::exists(std::filesystem::path(root) / p, ec);
      };
    }
    check::CheckDesiredState(loaded.state, ctx, loaded.diagnostics);
    loaded.diagnostics.Sort();
  }
  if (loaded.diagnostics.HasErrors()) return Status::Invalid(FirstErrors(loaded.diagnostics));
  if (on_cluster_) on_cluster_(loaded.state.cluster);
  return std::move(loaded.state);
}

ApplyOutcome PipelineReconciler::Apply(const model::DesiredState& desired,
                                       const std::atomic<bool>& stop) {
  if (stop) return Failed("stopping");
  auto lock = apply::ClusterLock::Acquire(desired.cluster, runtimes_, options_.lock);
  if (!lock.ok()) return Failed(lock.status().message());
  plan::PlanOptions plan_options = options_.plan;
  plan_options.prune = plan_options.prune || desired.cluster.prune;
  observe::ObservedState observed = observe::ObserveFleet(desired, runtimes_, {.inspect = true});
  plan_options.now = options_.now();
  hosts_.Update(observed, plan_options.now);
  plan_options.down_since = hosts_.down_since();
  std::unique_ptr<apply::TrafficGate> gate;
  if (options_.routers && !desired.cluster.load_balancers.empty()) {
    gate = std::make_unique<apply::TrafficGate>(desired, *options_.routers, apply::SystemClock(),
                                                  apply::GateTimes{}, options_.probe);
  }
  std::vector<std::string> traffic_errors;
  if (gate) {
    // A task that died leaves its target groups now, before anything else.
    for (auto& e : gate->Sync(observed).errors) traffic_errors.push_back(std::move(e));
  }
  apply::ApplyOptions apply_options = options_.apply;
  apply_options.traffic = gate.get();
  const plan::Plan plan = plan::MakePlan(desired, observed, plan_options);
  ApplyOutcome out;
  if (!plan.errors.empty()) {
    out = Failed(plan.errors.front());
  } else {
    for (const auto& s : plan.services) {
      for (const auto& step : s.steps) out.changes += static_cast<int>(step.actions.size());
    }
    const apply::ApplyResult result = out.changes > 0
                                          ? apply::Apply(plan, desired, runtimes_, apply_options)
                                          : apply::ApplyResult{};
    for (const auto& s : result.services) {
      if (s.outcome == apply::Outcome::kConverged) continue;
      if (!out.message.empty()) out.message += "; ";
      out.message += s.service + ": " + apply::OutcomeName(s.outcome) +
                     (s.message.empty() ? "" : " (" + s.message + ")");
    }
    const int code = result.ExitCode();
    out.kind = code == 0   ? ApplyOutcome::Kind::kConverged
               : code == 3 ? ApplyOutcome::Kind::kRolledBack
               : code == 4 ? ApplyOutcome::Kind::kPartial
                           : ApplyOutcome::Kind::kError;
    if (out.kind == ApplyOutcome::Kind::kConverged && !plan.warnings.empty()) {
      out.kind = ApplyOutcome::Kind::kPartial;
      out.message = plan.warnings.front();
    }
  }
  const observe::ObservedState after = observe::ObserveFleet(desired, runtimes_);
  if (gate) {
    for (auto& e : gate->Sync(after).errors) traffic_errors.push_back(std::move(e));
  }
  if (!traffic_errors.empty()) {
    if (out.kind == ApplyOutcome::Kind::kConverged) out.kind = ApplyOutcome::Kind::kPartial;
    out.message += (out.message.empty() ? "traffic: " : "; traffic: ") + traffic_errors.front();
  }
  observe::ObservedState remembered = after;  // what the hosts run now, for the next reconcile
  hosts_.Update(remembered, options_.now());
  CountTasks(desired, after, out);
  std::optional<targets::TargetListing> listing;
  if (gate) listing = gate->ListAll();
  out.fleet_status =
      render::StatusJson(status::BuildStatus(desired, after, listing ? &*listing : nullptr));
  if (Status s = (*lock)->Release(); !s.ok() && out.message.empty()) out.message = s.message();
  return out;
}

void CountTasks(const model::DesiredState& desired, const observe::ObservedState& observed,
                ApplyOutcome& out) {
  out.services.clear();
  for (const auto& service : desired.services) {
    ServiceCounts c{service.name, plan::DesiredTasks(desired, observed, service), 0, 0};
    for (const auto* task : observed.TasksOf(service.name)) {
      const bool up = task->status == observe::TaskStatus::kRunning ||
                      task->status == observe::TaskStatus::kHealthy ||
                      task->status == observe::TaskStatus::kUnhealthy;
      c.running += up ? 1 : 0;
      c.healthy += task->status == observe::TaskStatus::kHealthy ? 1 : 0;
    }
    out.services.push_back(c);
  }
  out.hosts.clear();
  for (const auto& h : observed.hosts) out.hosts[h.name] = h.reachable;
}

}  // namespace stowage::watch
