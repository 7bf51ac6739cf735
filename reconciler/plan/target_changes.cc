#include "plan/target_changes.h"

#include <map>

namespace stowage::plan {
namespace {

// What the plan does to tasks: the reason of each stop/remove, and the starts.
struct TaskMoves {
  std::map<std::string, std::string> stopped;               // task id -> reason
  std::vector<std::pair<std::string, TaskAction>> started;  // (service, action)
  std::map<std::string, const TaskAction*> starts;          // task id -> its start
};

TaskMoves MovesOf(const Plan& plan) {
  TaskMoves moves;
  for (const auto& s : plan.services) {
    for (const auto& step : s.steps) {
      for (const auto& a : step.actions) {
        if (a.type == ActionType::kStart) {
          moves.started.emplace_back(s.service, a);
          moves.starts[a.task_id] = &a;
        } else {
          moves.stopped.emplace(a.task_id, a.reason);
        }
      }
    }
  }
  return moves;
}

// The group's targets once the plan ran: running tasks it keeps, tasks it starts.
std::vector<targets::DesiredTarget> TargetsAfter(const model::LoadBalancer& lb,
                                                 const model::TargetGroup& tg,
                                                 const std::vector<targets::DesiredTarget>& now,
                                                 const TaskMoves& moves,
                                                 const model::DesiredState& desired) {
  std::vector<targets::DesiredTarget> out;
  for (const auto& d : now) {
    if (d.balancer == lb.name && d.group == tg.name && !moves.stopped.count(d.task_id)) {
      out.push_back(d);
    }
  }
  for (const auto& [service_name, a] : moves.started) {
    const model::Service* service = desired.FindService(service_name);
    if (service == nullptr) continue;
    for (const auto& b : targets::BindingsOf(desired, *service)) {
      if (b.balancer->name != lb.name || b.group->name != tg.name) continue;
      out.push_back({lb.name, tg.name, tg.backend, service_name, a.task_id, a.host, "", 0});
    }
  }
  return out;
}

// The pool as read, or (unread) as the running tasks' targets, ready.
std::vector<traffic::Target> PoolOf(const model::TargetGroup& tg,
                                    const targets::TargetListing* listing,
                                    const std::vector<targets::DesiredTarget>& now,
                                    std::string& error) {
  if (listing != nullptr) {
    auto it = listing->find(tg.name);
    if (it != listing->end() && it->second.ok()) return *it->second;
    error = it == listing->end() ? "not read" : it->second.status().message();
  }
  std::vector<traffic::Target> assumed;
  for (const auto& d : now) {
    if (d.group != tg.name) continue;
    traffic::Target t;
    t.name = d.Name();
    t.address = d.address;
    t.port = d.port;
    t.state = traffic::TargetState::kReady;
    assumed.push_back(t);
  }
  return assumed;
}

TargetMove MoveOf(const targets::TargetChange& c, const TaskMoves& moves,
                  const observe::ObservedState& observed) {
  TargetMove m;
  m.name = c.name;
  m.address = c.address;
  m.port = c.port;
  m.reason = c.reason;
  auto owner = traffic::ParseTargetName(c.name);
  if (!owner) return m;
  m.service = owner->service;
  m.task_id = owner->task_id;
  if (const observe::ObservedTask* task = observed.FindTask(owner->task_id)) m.host = task->host;
  if (c.kind == targets::TargetChange::Kind::kRegister) {
    auto start = moves.starts.find(owner->task_id);
    if (start != moves.starts.end()) {
      m.host = start->second->host;
      m.reason = "new task (" + start->second->reason + ")";
    } else if (m.reason == "new task") {
      m.reason = "missing from the balancer";
    }
  } else if (auto stop = moves.stopped.find(owner->task_id); stop != moves.stopped.end()) {
    m.reason = stop->second;
  }
  return m;
}

}  // namespace

std::vector<TargetGroupPlan> PlanTargetChanges(const Plan& plan, const model::DesiredState& desired,
                                               const observe::ObservedState& observed,
                                               const targets::TargetListing* listing) {
  std::vector<TargetGroupPlan> out;
  const TaskMoves moves = MovesOf(plan);
  const std::vector<targets::DesiredTarget> now = targets::DesiredTargets(desired, observed);
  for (const auto& lb : desired.cluster.load_balancers) {
    for (const auto& tg : lb.target_groups) {
      TargetGroupPlan g{lb.name, tg.name, tg.backend, {}, {}, {}};
      const auto pool = PoolOf(tg, listing, now, g.error);
      const auto after = TargetsAfter(lb, tg, now, moves, desired);
      for (const auto& c : targets::DiffTargets(lb, tg, after, pool)) {
        TargetMove m = MoveOf(c, moves, observed);
        if (c.kind == targets::TargetChange::Kind::kRegister) {
          g.register_targets.push_back(std::move(m));
        } else if (c.kind == targets::TargetChange::Kind::kDeregister &&
                   !targets::MayRunUnseen(observed, c.name)) {
          g.deregister_targets.push_back(std::move(m));
        }
      }
      if (!g.register_targets.empty() || !g.deregister_targets.empty() || !g.error.empty()) {
        out.push_back(std::move(g));
      }
    }
  }
  return out;
}

std::vector<std::string> UnlistedBalancers(const std::vector<TargetGroupPlan>& groups) {
  struct Unlisted {
    std::string balancer, groups, error;
  };
  std::vector<Unlisted> unlisted;  // groups come by balancer, in the cluster file's order
  for (const auto& g : groups) {
    if (g.error.empty()) continue;
    if (!unlisted.empty() && unlisted.back().balancer == g.balancer) {
      unlisted.back().groups += ", " + g.group;
    } else {
      unlisted.push_back({g.balancer, g.group, g.error});
    }
  }
  std::vector<std::string> out;
  for (const auto& u : unlisted) {
    out.push_back("load balancer " + u.balancer + ": the target changes of " + u.groups +
                  " could not be listed (" + u.error +
                  "): shown are the plan's own starts and stops");
  }
  return out;
}

}  // namespace stowage::plan
