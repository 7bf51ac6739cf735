#include "status/fleet_status.h"

#include <algorithm>
#include <map>

#include "plan/planner.h"

namespace stowage::status {
namespace {

std::vector<std::string> MostCommonFirst(const std::map<std::string, int>& counts) {
  std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> out;
  for (const auto& [revision, _] : sorted) out.push_back(revision);
  return out;
}

std::string DeploymentState(const ServiceStatus& s, int at_revision, int other_revisions) {
  if (!s.in_source) return "not in source";
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
    s.in_source = true;
    const auto* td = desired.FindTaskDefinition(svc->task_definition);
    s.revision = td != nullptr ? td->revision : "";
    s.scheduling_strategy = model::SchedulingStrategyName(svc->scheduling_strategy);
    s.desired = plan::DesiredTasks(desired, observed, *svc);
  }
  int at_revision = 0, others = 0;
  std::map<std::string, int> revisions;
  for (const auto* t : observed.TasksOf(name)) {
    if (t->status == observe::TaskStatus::kPending) ++s.pending;
    if (!CountsRunning(*t)) continue;
    ++s.running;
    s.healthy += CountsHealthy(*t) ? 1 : 0;
    ++revisions[t->revision];
    (t->revision == s.revision ? at_revision : others)++;
  }
  s.running_revisions = MostCommonFirst(revisions);
  s.deployment = DeploymentState(s, at_revision, others);
  return s;
}

const traffic::Target* Listed(const targets::TargetListing& listed, const std::string& group,
                              const std::string& name) {
  auto it = listed.find(group);
  if (it == listed.end() || !it->second.ok()) return nullptr;
  for (const auto& t : *it->second) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::vector<TaskTarget> TargetsOf(const model::DesiredState& desired,
                                  const observe::ObservedTask& t,
                                  const targets::TargetListing& listed) {
  std::vector<TaskTarget> out;
  const model::Service* svc = desired.FindService(t.service);
  const model::Host* host = desired.cluster.FindHost(t.host);
  if (!svc || !host) return out;
  for (const auto& b : targets::BindingsOf(desired, *svc)) {
    TaskTarget tt{b.group->name, model::HostAddress(*host), 0, "absent", "unknown"};
    tt.port = targets::PublishedPort(t, b.container, b.container_port).value_or(0);
    if (const auto* l = Listed(listed, b.group->name, traffic::TargetName(t.service, t.id))) {
      tt.address = l->address;
      tt.port = l->port;
      tt.state = traffic::TargetStateName(l->state);
      tt.health = traffic::TargetHealthName(l->health);
    }
    out.push_back(std::move(tt));
  }
  return out;
}

std::vector<TargetGroupStatus> GroupRows(const model::DesiredState& desired,
                                         const targets::TargetListing& listed) {
  std::vector<TargetGroupStatus> out;
  for (const auto& lb : desired.cluster.load_balancers) {
    for (const auto& tg : lb.target_groups) {
      TargetGroupStatus g{lb.name, tg.name, tg.backend, false, "", 0, 0};
      auto it = listed.find(tg.name);
      if (it == listed.end()) continue;
      if (!it->second.ok()) {
        g.error = it->second.status().message();
      } else {
        g.reachable = true;
        for (const auto& t : *it->second) {
          ++g.targets;
          const bool up = !t.checked || t.health == traffic::TargetHealth::kUp;
          g.healthy += t.state == traffic::TargetState::kReady && up ? 1 : 0;
        }
      }
      out.push_back(std::move(g));
    }
  }
  return out;
}

// The old tasks of one host's retired containers, by (service, task).
std::vector<RetiredTask> RetiredTasks(const observe::ObservedHost& h) {
  std::map<std::pair<std::string, std::string>, RetiredTask> by_task;
  for (const auto& c : h.retired) {
    RetiredTask& t = by_task[{c.service, c.task}];
    t.service = c.service;
    t.task_id = c.task;
    t.running = t.running || c.running;
    t.deadline = std::max(t.deadline, c.deadline);
  }
  std::vector<RetiredTask> out;
  for (auto& [_, t] : by_task) out.push_back(std::move(t));
  return out;
}

// Adds each host's old tasks to their service's stopping / exited counts.
void CountRetired(const std::vector<HostStatus>& hosts, std::vector<ServiceStatus>& services) {
  for (const auto& h : hosts) {
    for (const auto& t : h.retired) {
      auto s = std::find_if(services.begin(), services.end(),
                            [&](const ServiceStatus& row) { return row.service == t.service; });
      if (s == services.end()) continue;
      if (!t.running) {
        ++s->retired_exited;
        continue;
      }
      ++s->stopping;
      s->stopping_deadline = std::max(s->stopping_deadline, t.deadline);
    }
  }
}

}  // namespace

bool CountsRunning(const observe::ObservedTask& task) {
  return task.active && task.status != observe::TaskStatus::kPending;
}

bool CountsHealthy(const observe::ObservedTask& task) {
  if (task.status == observe::TaskStatus::kHealthy) return true;
  if (task.status != observe::TaskStatus::kRunning) return false;
  for (const auto& c : task.containers) {
    if (c.health != runtime::Health::kNone) return false;
  }
  return true;
}

FleetStatus BuildStatus(const model::DesiredState& desired, const observe::ObservedState& observed,
                        const targets::TargetListing* listed) {
  FleetStatus f;
  f.cluster = observed.cluster;
  std::map<std::string, bool> names;
  for (const auto& s : desired.services) names[s.name] = true;
  for (const auto& t : observed.tasks) {
    if (!t.standalone) names[t.service] = true;
  }
  for (const auto& h : observed.hosts) {
    for (const auto& r : h.retired) names[r.service] = true;
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
      HostTask task{t.service, t.id, t.revision, observe::TaskStatusName(t.status), {}, {}};
      for (const auto& c : t.containers) task.image_ids.push_back(c.image_id);
      if (listed) task.targets = TargetsOf(desired, t, *listed);
      hs.tasks.push_back(std::move(task));
    }
    hs.retired = RetiredTasks(h);
    f.hosts.push_back(std::move(hs));
  }
  CountRetired(f.hosts, f.services);
  if (listed) f.target_groups = GroupRows(desired, *listed);
  return f;
}

}  // namespace stowage::status
