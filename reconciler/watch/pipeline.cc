#include "watch/pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "check/checks.h"
#include "history/from_apply.h"
#include "history/store.h"
#include "observe/snapshot.h"
#include "render/status.h"
#include "status/fleet_status.h"
#include "util/printable.h"

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

// Why the deploy history says `revision` must not be deployed again (it
// rolled back, or a rollback moved away from it), "" when it may be.
std::string QuarantineReason(const std::vector<history::Record>& records,
                             const std::string& revision) {
  auto q = history::Quarantined(records);
  if (std::find(q.begin(), q.end(), revision) == q.end()) return "";
  for (const auto& r : records) {
    if (r.head == revision) {
      return "the deploy history records a rollback from it by " + Printable(r.by);
    }
    if (r.revision == revision) {
      return "the deploy history records it rolled back" +
             (r.reason.empty() ? "" : ": " + Printable(r.reason));
    }
  }
  return "the deploy history quarantines it";
}

}  // namespace

PipelineReconciler::PipelineReconciler(runtime::RuntimeFactory& runtimes, PipelineOptions options,
                                       std::function<void(const model::Cluster&)> on_cluster)
    : runtimes_(runtimes), options_(std::move(options)), on_cluster_(std::move(on_cluster)) {}

Result<model::DesiredState> PipelineReconciler::Load(Source& source) {
  secrets::ResolvedSecrets resolved;
  return LoadResolved(source, resolved);
}

Result<model::DesiredState> PipelineReconciler::LoadResolved(Source& source,
                                                             secrets::ResolvedSecrets& resolved) {
  load::LoadedSource loaded = load::LoadSource(source, cache_);
  if (loaded.ok()) {
    check::CheckContext ctx;
    ctx.policy = options_.policy;
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
  // After validation: resolving recomputes the revisions of task definitions with secrets.
  auto desired = Resolve(std::move(loaded.state), &source, resolved);
  if (!desired.ok()) return desired.status();
  if (on_cluster_) on_cluster_(desired->cluster);
  return desired;
}

Result<model::DesiredState> PipelineReconciler::Resolve(model::DesiredState desired, Source* source,
                                                        secrets::ResolvedSecrets& out) {
  Diagnostics diags;
  if (Status s = secrets::CheckProviders(options_.secrets); !s.ok()) {
    return Status::NotFound(s.message());  // the operator's, not the revision's fault
  }
  auto store = secrets::NewProviderStore(options_.secrets, source);
  out = secrets::ResolveSecrets(desired, *store, diags);
  diags.Sort();
  if (diags.HasErrors()) return Status::NotFound(FirstErrors(diags));
  return desired;
}

Result<model::DesiredState> PipelineReconciler::ResolveAgain(const model::DesiredState& desired,
                                                             secrets::ResolvedSecrets& out) {
  // A git watcher may have moved on to a newer commit that did not load: the
  // age: files are those of the revision being applied. (A directory has no
  // earlier revisions; it is read as it is.)
  std::unique_ptr<Source> pinned;
  Source* source = source_;
  if (source_ != nullptr && !desired.source_revision.empty()) {
    auto at = source_->AtRevision(desired.source_revision);
    if (at.ok()) {
      pinned = std::move(*at);
      source = pinned.get();
    }
  }
  return Resolve(desired, source, out);
}

ApplyOutcome PipelineReconciler::Apply(const model::DesiredState& desired,
                                       const std::atomic<bool>& stop) {
  if (stop) return Failed("stopping");
  // Secrets are looked up again: a value changed since the load rolls out now.
  secrets::ResolvedSecrets resolved;
  std::optional<model::DesiredState> fresh;
  if (secrets::AnySecrets(desired)) {
    auto again = ResolveAgain(desired, resolved);
    if (!again.ok()) return Failed(again.status().message());
    fresh = std::move(*again);
  }
  const model::DesiredState& current = fresh ? *fresh : desired;
  auto lock = apply::ClusterLock::Acquire(current.cluster, runtimes_, options_.lock);
  if (!lock.ok()) return Failed(lock.status().message());
  ApplyOutcome out = Quarantine(current, stop);
  if (out.message.empty()) out = Converge(current, resolved, stop);
  AddHistory(current.cluster, out);
  if (Status s = (*lock)->Release(); !s.ok() && out.message.empty()) out.message = s.message();
  return out;
}

// The newest deploy records, for /status and the status page (newest first).
void PipelineReconciler::AddHistory(const model::Cluster& cluster, ApplyOutcome& out) {
  constexpr int kShown = 20;
  if (!out.fleet_status.is_object()) return;
  auto h = history::ReadHistory(cluster, runtimes_, kShown);
  if (!h.ok()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : h->records) {
    rows.push_back({{"at", static_cast<double>(r.time) / 1000.0},
                    {"revision", r.revision},
                    {"commit", r.git ? r.revision : ""},
                    {"subject", r.subject},
                    {"author", r.author},
                    {"by", r.by},
                    {"command", r.command},
                    {"outcome", history::OutcomeName(r.outcome)},
                    {"reason", r.reason}});
  }
  out.fleet_status["history"] = std::move(rows);
}

ApplyOutcome PipelineReconciler::Quarantine(const model::DesiredState& desired,
                                            const std::atomic<bool>& stop) {
  // A revision that rolled back (here, in another watcher, or before a
  // restart) or that `stowage rollback` moved away from stays quarantined
  // until a newer one arrives: the history on the engines says so.
  auto h = history::ReadHistory(desired.cluster, runtimes_);
  if (!h.ok()) return {};
  std::string why = QuarantineReason(h->records, desired.source_revision);
  if (why.empty()) return {};
  ApplyOutcome out;
  std::string good = history::LastGood(h->records);
  if (!good.empty() && good != desired.source_revision && source_ != nullptr) {
    // Stay on the last good revision: load it from the source and converge on it.
    auto at = source_->AtRevision(good);
    secrets::ResolvedSecrets good_secrets;
    auto loaded =
        at.ok() ? LoadResolved(**at, good_secrets) : Result<model::DesiredState>(at.status());
    if (loaded.ok() && loaded->cluster.name == desired.cluster.name) {
      out = Converge(*loaded, good_secrets, stop);
      if (out.kind == ApplyOutcome::Kind::kConverged || out.kind == ApplyOutcome::Kind::kPartial) {
        out.stayed_on = std::make_shared<const model::DesiredState>(std::move(*loaded));
        why += "; staying on " + good.substr(0, 12);
      }
    } else if (at.ok() || at.status().code() != Status::Code::kNotFound) {
      // (kNotFound: a directory, which has no earlier revisions.)
      spdlog::warn("cannot load the last good revision {}: {}", good.substr(0, 12),
                   loaded.ok() ? "another cluster" : loaded.status().message());
    }
  }
  out.kind = ApplyOutcome::Kind::kRolledBack;
  out.message = "not deployed again: " + why;
  return out;
}

ApplyOutcome PipelineReconciler::Converge(const model::DesiredState& desired,
                                          const secrets::ResolvedSecrets& resolved,
                                          const std::atomic<bool>& stop) {
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
  apply_options.resolve_secret = resolved.Resolver();
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
    if (out.changes > 0) Record(desired, plan, result);
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
  (void)stop;
  return out;
}

void PipelineReconciler::Record(const model::DesiredState& desired, const plan::Plan& plan,
                                const apply::ApplyResult& result) {
  history::ApplyContext c;
  c.by = options_.history_by.empty() ? "watcher@" + history::Machine() : options_.history_by;
  c.command = "watch";
  c.time = history::UnixMillis();
  c.details = {desired.source_git, desired.source_author, desired.source_subject};
  auto written =
      history::WriteRecord(desired.cluster, runtimes_, history::RecordOfApply(plan, result, c), {});
  if (!written.ok()) {
    spdlog::warn("the deploy history was not recorded: {}", written.status().message());
  }
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
