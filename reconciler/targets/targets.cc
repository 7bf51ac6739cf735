#include "targets/targets.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "model/labels.h"

namespace stowage::targets {

std::vector<Binding> BindingsOf(const model::DesiredState& desired, const model::Service& service) {
  std::vector<Binding> out;
  for (const auto& b : service.load_balancers) {
    const model::LoadBalancer* lb = nullptr;
    const model::TargetGroup* tg = desired.cluster.FindTargetGroup(b.TargetGroupName(), &lb);
    if (!tg || b.container_name.empty() || b.container_port == 0) continue;
    out.push_back({lb, tg, b.container_name, b.container_port});
  }
  return out;
}

namespace {

std::optional<int> TcpPort(const std::vector<runtime::PublishedPort>& ports, int container_port) {
  for (const auto& p : ports) {
    if (p.container_port == container_port && p.protocol == "tcp" && p.host_port > 0) {
      return p.host_port;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<int> PublishedPort(const std::vector<runtime::ContainerSummary>& task_containers,
                                 const std::string& container, int container_port) {
  for (const auto& c : task_containers) {
    auto name = c.labels.find(labels::kContainer);
    if (name == c.labels.end() || name->second != container) continue;
    if (c.state != runtime::ContainerState::kRunning) return std::nullopt;
    return TcpPort(c.ports, container_port);
  }
  return std::nullopt;
}

std::optional<int> PublishedPort(const observe::ObservedTask& task, const std::string& container,
                                 int container_port) {
  const observe::ObservedContainer* c = task.Find(container);
  if (!c || c->state != runtime::ContainerState::kRunning) return std::nullopt;
  return TcpPort(c->ports, container_port);
}

std::vector<DesiredTarget> DesiredTargets(const model::DesiredState& desired,
                                          const observe::ObservedState& observed) {
  std::vector<DesiredTarget> out;
  for (const auto& service : desired.services) {
    auto bindings = BindingsOf(desired, service);
    if (bindings.empty()) continue;
    for (const observe::ObservedTask* task : observed.TasksOf(service.name)) {
      if (task->status != observe::TaskStatus::kRunning &&
          task->status != observe::TaskStatus::kHealthy) {
        continue;
      }
      const model::Host* host = desired.cluster.FindHost(task->host);
      const observe::ObservedHost* seen = observed.FindHost(task->host);
      if (!host || !seen || !seen->reachable) continue;
      for (const auto& b : bindings) {
        auto port = PublishedPort(*task, b.container, b.container_port);
        if (!port) continue;
        out.push_back({b.balancer->name, b.group->name, b.group->backend, service.name, task->id,
                       task->host, model::HostAddress(*host), *port});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const DesiredTarget& a, const DesiredTarget& b) {
    return std::tie(a.balancer, a.group, a.service, a.task_id) <
           std::tie(b.balancer, b.group, b.service, b.task_id);
  });
  return out;
}

const char* TargetChangeName(TargetChange::Kind k) {
  switch (k) {
    case TargetChange::Kind::kRegister:
      return "register";
    case TargetChange::Kind::kDeregister:
      return "deregister";
    case TargetChange::Kind::kReady:
      return "ready";
  }
  return "register";
}

std::vector<TargetChange> DiffTargets(const model::LoadBalancer& balancer,
                                      const model::TargetGroup& group,
                                      const std::vector<DesiredTarget>& desired,
                                      const std::vector<traffic::Target>& listed) {
  std::map<std::string, const traffic::Target*> have;
  for (const auto& t : listed) have[t.name] = &t;
  std::vector<TargetChange> out;
  auto change = [&](TargetChange::Kind kind, const std::string& name, const std::string& address,
                    int port, const char* reason) {
    out.push_back({kind, balancer.name, group.name, group.backend, name, address, port, reason});
  };
  std::map<std::string, bool> wanted;
  for (const auto& d : desired) {
    const std::string name = d.Name();
    wanted[name] = true;
    auto it = have.find(name);
    if (it == have.end()) {
      change(TargetChange::Kind::kRegister, name, d.address, d.port, "new task");
    } else if (it->second->address != d.address || it->second->port != d.port) {
      change(TargetChange::Kind::kDeregister, name, it->second->address, it->second->port,
             "address changed");
      change(TargetChange::Kind::kRegister, name, d.address, d.port, "address changed");
    } else if (it->second->state != traffic::TargetState::kReady) {
      change(TargetChange::Kind::kReady, name, d.address, d.port,
             it->second->state == traffic::TargetState::kDrain ? "left draining"
                                                               : "left in maintenance");
    }
  }
  for (const auto& t : listed) {
    if (wanted.count(t.name)) continue;
    change(TargetChange::Kind::kDeregister, t.name, t.address, t.port,
           traffic::ParseTargetName(t.name) ? "not a running task" : "not added by stowage");
  }
  return out;
}

bool MayRunUnseen(const observe::ObservedState& observed, const std::string& name) {
  auto owner = traffic::ParseTargetName(name);
  if (!owner || observed.UnreachableHosts().empty()) return false;
  return observed.FindTask(owner->task_id) == nullptr;
}

}  // namespace stowage::targets
