#include "watch/watch_state.h"

#include <charconv>
#include <sstream>

namespace stowage::watch {
namespace {

std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// Every digit a double needs to read back the same (shortest round trip), in
// fixed notation: a unix time stays 1795950000.25, never 1.79595e+09.
std::string Number(double v) {
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}
template <typename V>
std::string Number(V v) {
  return std::to_string(v);
}

class Exposition {
 public:
  void Family(const std::string& name, const char* type, const char* help) {
    out_ << "# HELP stowage_" << name << ' ' << help << "\n# TYPE stowage_" << name << ' ' << type
         << '\n';
  }
  template <typename V>
  void Sample(const std::string& name, const std::string& labels, V value) {
    out_ << "stowage_" << name;
    if (!labels.empty()) out_ << '{' << labels << '}';
    out_ << ' ' << Number(value) << '\n';
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

std::string Label(const std::string& key, const std::string& value) {
  return key + "=\"" + Escape(value) + "\"";
}

}  // namespace

const char* OutcomeName(ApplyOutcome::Kind kind) {
  switch (kind) {
    case ApplyOutcome::Kind::kConverged:
      return "converged";
    case ApplyOutcome::Kind::kPartial:
      return "partial";
    case ApplyOutcome::Kind::kRolledBack:
      return "rolled_back";
    case ApplyOutcome::Kind::kError:
      return "error";
  }
  return "error";
}

std::string RenderMetrics(const WatchState& s) {
  Exposition e;
  e.Family("reconcile_runs_total", "counter", "Reconcile runs by outcome.");
  for (const auto& [outcome, n] : s.runs)
    e.Sample("reconcile_runs_total", Label("outcome", outcome), n);
  e.Family("reconcile_duration_seconds", "summary", "Time spent reconciling.");
  e.Sample("reconcile_duration_seconds_sum", "", s.duration_sum);
  e.Sample("reconcile_duration_seconds_count", "", s.duration_count);
  e.Family("reconcile_last_duration_seconds", "gauge", "Duration of the last reconcile run.");
  e.Sample("reconcile_last_duration_seconds", "", s.last_duration);
  e.Family("deployments_total", "counter", "Reconcile runs that changed the fleet, by outcome.");
  for (const auto& [outcome, n] : s.deployments)
    e.Sample("deployments_total", Label("outcome", outcome), n);
  e.Family("source_fetches_total", "counter", "Source fetches.");
  e.Sample("source_fetches_total", "", s.fetches);
  e.Family("source_fetch_errors_total", "counter", "Source fetches that failed.");
  e.Sample("source_fetch_errors_total", "", s.fetch_errors);
  e.Family("revision_seen_info", "gauge", "The newest revision fetched.");
  if (!s.revision_seen.empty())
    e.Sample("revision_seen_info", Label("revision", s.revision_seen), 1);
  e.Family("last_applied_info", "gauge", "The revision last applied.");
  if (!s.revision_applied.empty()) {
    e.Sample("last_applied_info", Label("revision", s.revision_applied), 1);
  }
  e.Family("last_applied_timestamp_seconds", "gauge", "When the last revision was applied.");
  e.Sample("last_applied_timestamp_seconds", "", s.applied_at);
  e.Family("last_error_info", "gauge", "The last error (absent when the last run went well).");
  if (!s.last_error.empty()) {
    e.Sample("last_error_info",
             Label("revision", s.last_error_revision) + "," + Label("message", s.last_error), 1);
  }
  e.Family("last_error_timestamp_seconds", "gauge", "When the last error happened.");
  e.Sample("last_error_timestamp_seconds", "", s.last_error_at);
  e.Family("revision_failed", "gauge", "1 when the newest revision is invalid or rolled back.");
  e.Sample("revision_failed", "", s.failed_revisions.count(s.revision_seen) > 0 ? 1 : 0);
  e.Family("service_desired_tasks", "gauge", "Tasks the source asks for, per service.");
  for (const auto& c : s.services)
    e.Sample("service_desired_tasks", Label("service", c.service), c.desired);
  e.Family("service_running_tasks", "gauge", "Tasks running, per service.");
  for (const auto& c : s.services)
    e.Sample("service_running_tasks", Label("service", c.service), c.running);
  e.Family("service_healthy_tasks", "gauge", "Tasks healthy, per service.");
  for (const auto& c : s.services)
    e.Sample("service_healthy_tasks", Label("service", c.service), c.healthy);
  // Old tasks an apply handed to their engines to stop, per service (status --json).
  const nlohmann::json none = nlohmann::json::array();
  auto fleet_array = [&](const char* key) -> const nlohmann::json& {
    return s.fleet_status.is_object() && s.fleet_status.contains(key) ? s.fleet_status[key] : none;
  };
  const nlohmann::json& fleet_services = fleet_array("services");
  e.Family("service_stopping_tasks", "gauge",
           "Old tasks still stopping (their engines kill them by their deadline), per service.");
  for (const auto& f : fleet_services) {
    if (!f.contains("stopping")) continue;
    e.Sample("service_stopping_tasks", Label("service", f.value("service", "")),
             f.value("stopping", 0));
  }
  e.Family("host_up", "gauge", "1 when the host's engine answered at the last reconcile.");
  for (const auto& [host, up] : s.hosts) e.Sample("host_up", Label("host", host), up ? 1 : 0);
  // Per target group, from the status document of the last reconcile (`status --json`).
  const nlohmann::json& groups = fleet_array("targetGroups");
  auto per_group = [&](const char* name, const char* field) {
    for (const auto& g : groups) {
      if (!g.value("reachable", false)) continue;
      e.Sample(name,
               Label("target_group", g.value("targetGroup", "")) + "," +
                   Label("load_balancer", g.value("loadBalancer", "")),
               g.value(field, 0));
    }
  };
  e.Family("target_group_healthy_targets", "gauge",
           "Targets ready and passing the balancer's check, per target group.");
  per_group("target_group_healthy_targets", "healthy");
  e.Family("target_group_targets", "gauge", "Targets the balancer holds, per target group.");
  per_group("target_group_targets", "targets");
  return e.str();
}

nlohmann::json StatusJson(const WatchState& s) {
  nlohmann::json services = nlohmann::json::array();
  for (const auto& c : s.services) {
    services.push_back({{"service", c.service},
                        {"desired", c.desired},
                        {"running", c.running},
                        {"healthy", c.healthy}});
  }
  nlohmann::json error = nullptr;
  if (!s.last_error.empty()) {
    error = {
        {"message", s.last_error}, {"revision", s.last_error_revision}, {"at", s.last_error_at}};
  }
  nlohmann::json activity = {{"phase", s.phase}, {"since", s.phase_since}};
  if (s.steps > 0) {
    activity["step"] = s.step;
    activity["steps"] = s.steps;
  }
  nlohmann::json watch = {{"source", s.source},
                          {"activity", activity},
                          {"next_fetch_at", s.next_fetch_at},
                          {"revision_seen", s.revision_seen},
                          {"revision_applied", s.revision_applied},
                          {"applied_at", s.applied_at},
                          {"last_error", error},
                          {"failed_revisions", s.failed_revisions},
                          {"runs", s.runs},
                          {"fetches", s.fetches},
                          {"fetch_errors", s.fetch_errors},
                          {"services", services},
                          {"hosts", s.hosts}};
  nlohmann::json doc = s.fleet_status.is_object() ? s.fleet_status : nlohmann::json::object();
  doc["watch"] = std::move(watch);
  return doc;
}

}  // namespace stowage::watch
