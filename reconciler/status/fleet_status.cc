#include "status/fleet_status.h"

#include <map>

#include "plan/planner.h"

namespace stowage::status {
namespace {

bool CountsHealthy(const observe::ObservedTask& t) {
  if (t.status == observe::TaskStatus::kHealthy) return true;
  if (t.status != observe::TaskStatus::kRunning) return false;
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
                         const observe::ObservedState& observed) {
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
    if (t->status == observe::TaskStatus::kPending) ++s.pending;
    if (!t->active || t->status == observe::TaskStatus::kPending) continue;
    ++s.running;
    s.healthy += CountsHealthy(*t);
    (t->revision == s.revision ? at_revision : others)++;
  }
  s.deployment = DeploymentState(s, at_revision, others);
  return s;
}

}  // namespace

FleetStatus BuildStatus(const model::DesiredState& desired,
                        const observe::ObservedState& observed) {
  FleetStatus f;
  f.cluster = observed.cluster;
  std::map<std::string, bool> names;
  for (const auto& s : desired.services) names[s.name] = true;
  for (const auto& t : observed.tasks) {
    if (!t.standalone) names[t.service] = true;
  }
  for (const auto& [name, _] : names) f.services.push_back(ServiceRow(name, desired, observed));
  for (const auto& h : observed.hosts) {
    HostStatus hs;
    hs.host = h.name;
    hs.reachable = h.reachable;
    hs.error = h.reachable ? "" : h.error.message();
    hs.state = model::HostStateName(h.state);
    if (const model::Host* host = desired.cluster.FindHost(h.name); host != nullptr) {
      hs.reserved = host->reserved;
    }
    if (h.reachable) {
      hs.capacity = {h.capacity.cpu + hs.reserved.cpu, h.capacity.memory + hs.reserved.memory};
      hs.used = h.used;
    }
    for (auto i : h.tasks) {
      const auto& t = observed.tasks[i];
      HostTask task{t.service, t.id, t.revision, observe::TaskStatusName(t.status), {}};
      for (const auto& c : t.containers) task.image_ids.push_back(c.image_id);
      hs.tasks.push_back(std::move(task));
    }
    f.hosts.push_back(std::move(hs));
  }
  return f;
}

}  // namespace stowage::status
