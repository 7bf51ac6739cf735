#include "render/status.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "plan/planner.h"
#include "render/table.h"

namespace stowage::render {
namespace {

bool CountsHealthy(const plan::ObservedTask& t) {
  if (t.status == plan::TaskStatus::kHealthy) return true;
  if (t.status != plan::TaskStatus::kRunning) return false;
  for (const auto& c : t.containers) {
    if (c.health != runtime::Health::kNone) return false;
  }
  return true;
}

std::string DeploymentState(const ServiceStatus& s, int at_revision, int other_revisions) {
  if (s.running == 0 && s.pending == 0) return s.desired == 0 ? "completed" : "stopped";
  if (at_revision == 0 && other_revisions > 0) return "failed";
  if (other_revisions == 0 && at_revision == s.desired) return "completed";
  return "in progress";
}

ServiceStatus ServiceRow(const std::string& name, const model::DesiredState& desired,
                         const plan::ObservedState& observed) {
  ServiceStatus s;
  s.service = name;
  if (const auto* svc = desired.FindService(name)) {
    const auto* td = desired.FindTaskDefinition(svc->task_definition);
    s.revision = td != nullptr ? td->revision : "";
    s.scheduling_strategy = model::SchedulingStrategyName(svc->scheduling_strategy);
    s.desired = plan::DesiredTasks(desired, observed, *svc);
  }
  int at_revision = 0, others = 0;
  for (const auto* t : observed.TasksOf(name)) {
    if (t->status == plan::TaskStatus::kPending) ++s.pending;
    if (!t->active || t->status == plan::TaskStatus::kPending) continue;
    ++s.running;
    s.healthy += CountsHealthy(*t);
    (t->revision == s.revision ? at_revision : others)++;
  }
  s.deployment = DeploymentState(s, at_revision, others);
  return s;
}

}  // namespace

FleetStatus BuildStatus(const model::DesiredState& desired, const plan::ObservedState& observed) {
  FleetStatus f;
  f.cluster = observed.cluster;
  std::map<std::string, bool> names;
  for (const auto& s : desired.services) names[s.name] = true;
  for (const auto& t : observed.tasks) {
    if (!t.standalone) names[t.service] = true;
  }
  for (const auto& [name, _] : names) f.services.push_back(ServiceRow(name, desired, observed));
  for (const auto& h : observed.hosts) {
    HostStatus hs{h.name, h.reachable, h.reachable ? "" : h.error.message(), {}};
    for (auto i : h.tasks) {
      const auto& t = observed.tasks[i];
      hs.tasks.push_back({t.service, t.id, t.revision, plan::TaskStatusName(t.status)});
    }
    f.hosts.push_back(std::move(hs));
  }
  return f;
}

std::string StatusText(const FleetStatus& f) {
  std::ostringstream out;
  out << "Cluster " << f.cluster << "\n\n";
  std::vector<std::vector<std::string>> rows{
      {"SERVICE", "REVISION", "DESIRED", "RUNNING", "HEALTHY", "PENDING", "DEPLOYMENT"}};
  for (const auto& s : f.services) {
    rows.push_back({s.service, s.revision.empty() ? "-" : s.revision.substr(0, 8),
                    std::to_string(s.desired), std::to_string(s.running), std::to_string(s.healthy),
                    std::to_string(s.pending), s.deployment});
  }
  out << Table(rows);
  for (const auto& h : f.hosts) {
    out << "\n" << h.host << ":";
    if (!h.reachable) {
      out << " unreachable: " << h.error << "\n";
      continue;
    }
    out << (h.tasks.empty() ? " no tasks\n" : "\n");
    std::vector<std::vector<std::string>> tasks;  // an empty first column indents by 2
    for (const auto& t : h.tasks) {
      tasks.push_back({"", t.service + "/" + t.task_id, t.revision.substr(0, 8), t.status});
    }
    out << Table(tasks);
  }
  return out.str();
}

nlohmann::ordered_json StatusJson(const FleetStatus& f) {
  nlohmann::ordered_json j;
  j["cluster"] = f.cluster;
  j["services"] = nlohmann::ordered_json::array();
  for (const auto& s : f.services) {
    j["services"].push_back({{"service", s.service},
                             {"revision", s.revision},
                             {"schedulingStrategy", s.scheduling_strategy},
                             {"desired", s.desired},
                             {"running", s.running},
                             {"healthy", s.healthy},
                             {"pending", s.pending},
                             {"deployment", s.deployment}});
  }
  j["hosts"] = nlohmann::ordered_json::array();
  for (const auto& h : f.hosts) {
    nlohmann::ordered_json hj{{"host", h.host}, {"reachable", h.reachable}};
    if (!h.reachable) hj["error"] = h.error;
    hj["tasks"] = nlohmann::ordered_json::array();
    for (const auto& t : h.tasks) {
      hj["tasks"].push_back({{"service", t.service},
                             {"task", t.task_id},
                             {"revision", t.revision},
                             {"status", t.status}});
    }
    j["hosts"].push_back(std::move(hj));
  }
  return j;
}

}  // namespace stowage::render
