#include "watch/pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "history/from_apply.h"
#include "history/store.h"
#include "pipeline/load.h"
#include "render/status.h"
#include "util/printable.h"

namespace stowage::watch {
namespace {

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
    : runtimes_(runtimes), options_(std::move(options)), on_cluster_(std::move(on_cluster)) {
  memory_.now = options_.now;
}

Result<model::DesiredState> PipelineReconciler::Load(Source& source) {
  secrets::ResolvedSecrets resolved;
  return LoadResolved(source, resolved);
}

Result<model::DesiredState> PipelineReconciler::LoadResolved(Source& source,
                                                             secrets::ResolvedSecrets& resolved) {
  check::ValidatedSource loaded = pipeline::Load(source, options_.policy, &cache_);
  if (!loaded.ok()) return Status::Invalid(pipeline::FirstErrors(loaded.diagnostics));
  // After validation: resolving recomputes the revisions of task definitions with secrets.
  auto desired = Resolve(std::move(*loaded.state), &source, resolved);
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
  out = pipeline::ResolveSecrets(desired, source, options_.secrets, diags);
  diags.Sort();
  if (diags.HasErrors()) return Status::NotFound(pipeline::FirstErrors(diags));
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
  auto lock = pipeline::Lock(current, runtimes_, options_.lock);
  if (!lock.ok()) return Failed(lock.status().message());
  // Read once: for the quarantine, and (with what this run writes) for /status.
  auto h = history::ReadHistory(current.cluster, runtimes_);
  std::vector<history::Record> written;
  ApplyOutcome out;
  if (h.ok()) out = Quarantine(current, h->records, written);
  if (out.message.empty()) out = Converge(current, resolved, written);
  if (h.ok() && out.fleet_status.is_object()) {
    out.fleet_status["history"] = HistoryRows(std::move(h->records), written);
  }
  if (Status s = (*lock)->Release(); !s.ok() && out.message.empty()) out.message = s.message();
  return out;
}

nlohmann::json HistoryRows(std::vector<history::Record> read,
                           const std::vector<history::Record>& written) {
  constexpr int kShown = 20;
  read.insert(read.end(), written.begin(), written.end());
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : history::MergeRecords(std::move(read), kShown)) {
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
  return rows;
}

ApplyOutcome PipelineReconciler::Quarantine(const model::DesiredState& desired,
                                            const std::vector<history::Record>& records,
                                            std::vector<history::Record>& written) {
  // A revision that rolled back (here, in another watcher, or before a
  // restart) or that `stowage rollback` moved away from stays quarantined
  // until a newer one arrives: the history on the engines says so.
  std::string why = QuarantineReason(records, desired.source_revision);
  if (why.empty()) return {};
  ApplyOutcome out;
  std::string good = history::LastGood(records);
  if (!good.empty() && good != desired.source_revision && source_ != nullptr) {
    // Stay on the last good revision: load it from the source and converge on it.
    auto at = source_->AtRevision(good);
    secrets::ResolvedSecrets good_secrets;
    auto loaded =
        at.ok() ? LoadResolved(**at, good_secrets) : Result<model::DesiredState>(at.status());
    if (loaded.ok() && loaded->cluster.name == desired.cluster.name) {
      out = Converge(*loaded, good_secrets, written);
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
                                          std::vector<history::Record>& written) {
  pipeline::ConvergeOptions options;
  options.plan = options_.plan;
  options.apply = options_.apply;
  options.apply.resolve_secret = resolved.Resolver();
  options.memory = &memory_;
  options.observe_after = true;
  options.traffic = options_.traffic;
  options.history.by =
      options_.history_by.empty() ? "watcher@" + history::Machine() : options_.history_by;
  options.history.command = "watch";
  const pipeline::ConvergeResult result = pipeline::ConvergeLocked(desired, runtimes_, options);
  if (!result.history.ok()) {
    spdlog::warn("the deploy history was not recorded: {}", result.history.message());
  }
  if (result.one_shots.removed > 0) {
    spdlog::info("removed {} stopped one-shot task(s) beyond the newest {} per family and host",
                 result.one_shots.removed, apply::kOneShotHistory);
  }
  for (const auto& e : result.one_shots.errors) {
    spdlog::warn("an old one-shot task was not removed: {}", e);
  }
  if (result.record) written.push_back(*result.record);
  return OutcomeOf(result);
}

ApplyOutcome OutcomeOf(const pipeline::ConvergeResult& result) {
  using Stage = pipeline::ConvergeResult::Stage;
  if (result.stage == Stage::kLocked) return Failed(result.status.message());
  ApplyOutcome out;
  out.changes = result.stage == Stage::kApplied ? result.Changes() : 0;
  if (!result.status.ok() && result.stage != Stage::kApplied) {
    out = Failed(result.status.message());
  } else if (!result.plan.errors.empty()) {
    out = Failed(result.plan.errors.front());
  } else {
    for (const auto& s : result.applied.services) {
      if (s.outcome == apply::Outcome::kConverged) continue;
      if (!out.message.empty()) out.message += "; ";
      out.message += s.service + ": " + apply::OutcomeName(s.outcome) +
                     (s.message.empty() ? "" : " (" + s.message + ")");
    }
    const int code = result.FleetCode();
    out.kind = code == 0   ? ApplyOutcome::Kind::kConverged
               : code == 3 ? ApplyOutcome::Kind::kRolledBack
               : code == 4 ? ApplyOutcome::Kind::kPartial
                           : ApplyOutcome::Kind::kError;
    if (out.kind == ApplyOutcome::Kind::kConverged && !result.plan.warnings.empty()) {
      out.kind = ApplyOutcome::Kind::kPartial;
      out.message = result.plan.warnings.front();
    }
    if (result.stage == Stage::kApplied && !result.status.ok() && out.message.empty()) {
      out.message = result.status.message();  // the lock's release failed
    }
  }
  if (!result.traffic.errors.empty()) {
    if (out.kind == ApplyOutcome::Kind::kConverged) out.kind = ApplyOutcome::Kind::kPartial;
    out.message +=
        (out.message.empty() ? "traffic: " : "; traffic: ") + result.traffic.errors.front();
  }
  if (result.fleet) {
    CountTasks(*result.fleet, out);
    out.fleet_status = render::StatusJson(*result.fleet);
  }
  return out;
}

void CountTasks(const status::FleetStatus& fleet, ApplyOutcome& out) {
  out.services.clear();
  for (const auto& s : fleet.services) {
    if (!s.in_source) continue;
    out.services.push_back({s.service, s.desired, s.running, s.healthy});
  }
  out.hosts.clear();
  for (const auto& h : fleet.hosts) out.hosts[h.host] = h.reachable;
}

}  // namespace stowage::watch
