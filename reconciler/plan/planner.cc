#include "plan/planner.h"

#include "plan/order.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "plan/definition_diff.h"
#include "plan/drift.h"
#include "plan/rollout.h"
#include "plan/scheduler.h"
#include "util/hash.h"

namespace stowage::plan {

namespace {

// A task that has to go, and why; `remove` when its containers are removed
// rather than kept stopped (only old revisions are kept, for rollback).
struct Leaving {
  const observe::ObservedTask* task = nullptr;
  std::string reason;
  bool remove = true;
};

// The observed tasks of one service, sorted out.
struct Sorted {
  std::vector<const observe::ObservedTask*> good;  // current revision, running fine, may stay
  std::vector<Leaving> broken;                     // not healthy: removed (or stopped) at once
  std::vector<Leaving> movers;  // healthy but to be replaced: old revision, drift, draining
  std::vector<Leaving> lost;    // live tasks on hosts down past the grace: replaced, not stopped
  std::vector<const observe::ObservedTask*> old_stopped;  // exited tasks of old revisions
  std::vector<DriftNote> drift;  // current-revision tasks changed outside stowage
  int frozen = 0;   // live tasks on hosts down within the grace: left alone, counted present
  int running = 0;  // live tasks of any revision
};

// One REPLICA service on its way through Reconcile -> Feasibility -> Rank.
struct ReplicaWork {
  const model::Service* service = nullptr;
  const model::TaskDefinition* td = nullptr;
  ServicePlan sp;
  PlacementRequest req;
  Sorted sorted{};
  int present = 0;  // tasks of the wanted revision that stay (after scale-in), frozen included
  int target = 0;   // tasks to reach: desired, held back while hosts are unknown
  std::vector<TaskAction> first_stops{};  // broken, scaled in, finished: in the first step
  Rollout rollout{};
};

bool Live(const observe::ObservedTask& t) { return t.status != observe::TaskStatus::kExited; }

std::string BrokenReason(const observe::ObservedTask& t) {
  switch (t.status) {
    case observe::TaskStatus::kExited:
      return t.exit_code ? "exited (code " + std::to_string(*t.exit_code) + ")" : "exited";
    case observe::TaskStatus::kIncomplete:
      return t.missing.empty() ? "container missing"
                               : "container " + t.missing.front() + " missing";
    case observe::TaskStatus::kUnhealthy:
      return "unhealthy";
    case observe::TaskStatus::kPending:
      // A container created but never started: left by an apply that died
      // between create and start (an apply holds the cluster lock, so no
      // other one is starting it). Replaced like any broken task.
      for (const auto& c : t.containers) {
        if (c.state == runtime::ContainerState::kCreated)
          return "container " + c.name + " never started";
      }
      return "";
    default:
      return "";
  }
}

PlacementRequest RequestFor(const model::Service& s, const model::TaskDefinition& td,
                            const std::string& source_revision) {
  PlacementRequest r;
  r.service = s.name;
  r.demand = DemandOf(td);
  r.constraints = s.placement_constraints;
  r.constraints.insert(r.constraints.end(), td.placement_constraints.begin(),
                       td.placement_constraints.end());
  r.strategies = s.placement_strategy;
  r.seed = SeedFor(source_revision, s.name);
  return r;
}

class Planner {
 public:
  Planner(const model::DesiredState& desired, const observe::ObservedState& observed,
          const PlanOptions& options)
      : desired_(desired),
        observed_(observed),
        options_(options),
        host_fingerprints_(observed.HostFingerprints()),
        fingerprint_(observed.Fingerprint(host_fingerprints_)),
        view_(desired.cluster, observed) {}

  Plan Run();

 private:
  bool Targeted(const std::string& service) const {
    return options_.targets.empty() || std::find(options_.targets.begin(), options_.targets.end(),
                                                 service) != options_.targets.end();
  }
  bool HostReachable(const std::string& host) const {
    int h = view_.FindHost(host);
    return h >= 0 && view_.Reachable(h);
  }
  bool PastGrace(const std::string& host) const { return past_grace_.count(host) > 0; }
  bool HostDraining(const std::string& host) const {
    int h = view_.FindHost(host);
    return h >= 0 && view_.Draining(h);
  }

  void IndexTasks();
  void NoteUnreachable();
  void CheckTargets();
  Sorted Sort(const std::vector<const observe::ObservedTask*>& tasks,
              const model::TaskDefinition& td) const;
  ServicePlan NewServicePlan(const model::Service& s, const model::TaskDefinition& td,
                             const char* strategy) const;
  ServicePlan PlanReplica(const model::Service& s, const model::TaskDefinition& td);
  ReplicaWork Reconcile(const model::Service& s, const model::TaskDefinition& td);
  void Rebalance(ReplicaWork& w);
  void Feasibility(ReplicaWork& w);
  void Rank(ReplicaWork& w);
  void Vacate(const observe::ObservedTask& t);
  // Hosts per value of a spread attribute ("attribute:zone"), built once per field.
  const std::map<std::string, std::vector<int>>& HostsByValue(const std::string& field);
  ServicePlan PlanDaemon(const model::Service& s, const model::TaskDefinition& td);
  ServicePlan PlanPrune(const std::string& service,
                        const std::vector<const observe::ObservedTask*>& tasks);
  std::vector<TaskAction> ScaleIn(const PlacementRequest& req,
                                  std::vector<const observe::ObservedTask*>& good, int count,
                                  const std::string& reason);
  int Capacity(const PlacementRequest& req, int wanted);
  TaskAction StartAction(int h, const model::Service& s, const model::TaskDefinition& td);
  std::string NewTaskId(const std::string& service, const std::string& revision);
  TaskAction LeaveAction(const Leaving& l) const;
  void Release(const observe::ObservedTask& t);
  void Finish(Plan& plan) const;

  const model::DesiredState& desired_;
  const observe::ObservedState& observed_;
  const PlanOptions& options_;
  std::vector<std::pair<std::string, std::string>> host_fingerprints_;
  std::string fingerprint_;
  ClusterView view_;
  std::map<std::string, std::vector<const observe::ObservedTask*>> by_service_;
  std::unordered_map<std::string, const observe::ObservedTask*> task_by_id_;
  std::unordered_set<std::string> ids_;
  std::unordered_set<std::string> desired_services_;
  std::unordered_map<std::string, const model::TaskDefinition*> definitions_;
  std::unordered_map<std::string, int> id_slots_;
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
  // "host h3" / "hosts h3, h4": hosts down within the grace whose tasks are unknown.
  std::string unreachable_;
  std::set<std::string> past_grace_;         // hosts down for the grace or longer
  std::unordered_set<std::string> vacated_;  // tasks whose slot counts as free (Vacate)
  std::map<std::string, std::map<std::string, std::vector<int>>> hosts_by_value_;
  std::chrono::seconds grace_{0};
};

void Planner::IndexTasks() {
  for (const auto& s : desired_.services) desired_services_.insert(s.name);
  for (const auto& td : desired_.task_definitions) definitions_[td.family] = &td;
  for (const auto& t : observed_.tasks) {
    ids_.insert(t.id);
    task_by_id_[t.id] = &t;
    if (!t.standalone) by_service_[t.service].push_back(&t);
  }
}

void Planner::NoteUnreachable() {
  grace_ = options_.unreachable_grace.value_or(
      std::chrono::seconds(desired_.cluster.unreachable_grace_seconds));
  int unknown = 0;
  for (const auto& h : observed_.hosts) {
    if (h.reachable) continue;
    auto since = options_.down_since.find(h.name);
    auto down_for =
        since == options_.down_since.end()
            ? std::chrono::seconds(0)
            : std::chrono::duration_cast<std::chrono::seconds>(options_.now - since->second);
    if (down_for >= grace_) {
      past_grace_.insert(h.name);
      warnings_.push_back("host " + h.name + " is unreachable (" + h.error.message() +
                          "), down for " + GraceText(down_for) + " (grace " + GraceText(grace_) +
                          "); its tasks are replaced on other hosts");
      continue;
    }
    warnings_.push_back("host " + h.name + " is unreachable (" + h.error.message() +
                        "); its tasks are left as they are");
    if (!h.remembered) unreachable_ += (unknown++ == 0 ? "" : ", ") + h.name;
  }
  if (unknown > 0) unreachable_ = (unknown == 1 ? "host " : "hosts ") + unreachable_;
}

void Planner::CheckTargets() {
  for (const auto& target : options_.targets) {
    if (desired_services_.count(target) == 0 && by_service_.count(target) == 0) {
      errors_.push_back("--target " + target +
                        ": no service of that name in the source or on the hosts");
    }
  }
}

Sorted Planner::Sort(const std::vector<const observe::ObservedTask*>& tasks,
                     const model::TaskDefinition& td) const {
  Sorted out;
  for (const observe::ObservedTask* t : tasks) {
    if (Live(*t)) ++out.running;
    if (!HostReachable(t->host)) {
      if (Live(*t) && PastGrace(t->host)) {
        out.lost.push_back({t, "host " + t->host + " down for more than " + GraceText(grace_)});
      } else if (Live(*t)) {
        ++out.frozen;
      }
      continue;
    }
    bool current = t->revision == td.revision;
    std::string broken = BrokenReason(*t);
    if (!current && !Live(*t)) {
      out.old_stopped.push_back(t);
    } else if (!broken.empty()) {
      out.broken.push_back({t, broken, current});
    } else if (!current) {
      out.movers.push_back({t, "revision change", false});
    } else if (HostDraining(t->host)) {
      out.movers.push_back({t, "host draining", true});
    } else if (std::string drift = TaskDrift(desired_.cluster.name, *t, td); !drift.empty()) {
      out.movers.push_back({t, kDriftReason + drift, true});
      out.drift.push_back({t->host, t->id, drift});
    } else {
      out.good.push_back(t);
    }
  }
  // Current-revision movers (draining, drift) first, then old revisions.
  std::stable_sort(out.movers.begin(), out.movers.end(),
                   [](const Leaving& a, const Leaving& b) { return a.remove > b.remove; });
  return out;
}

ServicePlan Planner::NewServicePlan(const model::Service& s, const model::TaskDefinition& td,
                                    const char* strategy) const {
  ServicePlan sp;
  sp.service = s.name;
  sp.family = td.family;
  sp.revision = td.revision;
  sp.scheduling_strategy = strategy;
  return sp;
}

std::vector<TaskAction> Planner::ScaleIn(const PlacementRequest& req,
                                         std::vector<const observe::ObservedTask*>& good, int count,
                                         const std::string& reason) {
  std::vector<VictimCandidate> candidates;
  for (const auto* t : good) candidates.push_back({view_.FindHost(t->host), UsageOf(*t)});
  std::vector<int> chosen = ChooseVictims(view_, req, candidates, count);
  std::vector<TaskAction> out;
  std::vector<bool> gone(good.size(), false);
  for (int i : chosen) {
    out.push_back(LeaveAction({good[static_cast<size_t>(i)], reason, true}));
    gone[static_cast<size_t>(i)] = true;
  }
  std::vector<const observe::ObservedTask*> kept;
  for (size_t i = 0; i < good.size(); ++i) {
    if (!gone[i]) kept.push_back(good[i]);
  }
  good = std::move(kept);
  return out;
}

int Planner::Capacity(const PlacementRequest& req, int wanted) {
  // Place them for real, then take them back.
  Placement trial = Place(view_, req, wanted);
  for (int h : trial.hosts) view_.RemoveTask(h, req.service, req.demand);
  return static_cast<int>(trial.hosts.size());
}

std::string Planner::NewTaskId(const std::string& service, const std::string& revision) {
  int& slot = id_slots_[service];
  for (;;) {
    std::string id = Hasher()
                         .Add(fingerprint_)
                         .Add(desired_.source_revision)
                         .Add(static_cast<std::int64_t>(options_.seed))
                         .Add(service)
                         .Add(revision)
                         .Add(slot++)
                         .HexDigest()
                         .substr(0, 12);
    if (ids_.insert(id).second) return id;
  }
}

TaskAction Planner::StartAction(int h, const model::Service& s, const model::TaskDefinition& td) {
  TaskAction a;
  a.host = view_.HostName(h);
  a.task_id = NewTaskId(s.name, td.revision);
  a.revision = td.revision;
  return a;
}

TaskAction Planner::LeaveAction(const Leaving& l) const {
  TaskAction a;
  a.type = l.remove ? ActionType::kRemove : ActionType::kStop;
  a.host = l.task->host;
  a.task_id = l.task->id;
  a.revision = l.task->revision;
  a.reason = l.reason;
  return a;
}

void Planner::Release(const observe::ObservedTask& t) {
  int h = view_.FindHost(t.host);
  if (h < 0 || !t.active) return;
  if (vacated_.erase(t.id) > 0) view_.AddTask(h, t.service, TaskDemand{});
  view_.RemoveTask(h, t.service, UsageOf(t));
}

// The task's slot counts as free for placement from now on (its service count
// on the host: spread, distinctInstance, runningTasksCount), while its
// resources stay held until Release: a replacement may take its place.
void Planner::Vacate(const observe::ObservedTask& t) {
  int h = view_.FindHost(t.host);
  if (h < 0 || !t.active || !vacated_.insert(t.id).second) return;
  view_.RemoveTask(h, t.service, TaskDemand{});
}

namespace {

// The zone-like spread a service is balanced on: its first strategy when that
// is a spread on an attribute (a spread on host keeps its balance through
// placement and scale-in alone; rebalancing it would churn large fleets).
std::optional<std::string> BalanceField(const PlacementRequest& req) {
  if (req.strategies.empty() || req.strategies.front().type != "spread" ||
      req.strategies.front().field.rfind("attribute:", 0) != 0) {
    return std::nullopt;
  }
  return req.strategies.front().field;
}

// A host's value of a spread attribute ("" when unset: such hosts share a value).
const std::string& SpreadValue(const ClusterView& view, const std::string& field, int h) {
  static const std::string kUnset;
  const auto& attrs = view.Attributes(h);
  auto it = attrs.find(field.substr(10));
  return it == attrs.end() ? kUnset : it->second;
}

}  // namespace

const std::map<std::string, std::vector<int>>& Planner::HostsByValue(const std::string& field) {
  auto [it, added] = hosts_by_value_.try_emplace(field);
  if (added) {
    for (int h = 0; h < view_.size(); ++h) it->second[SpreadValue(view_, field, h)].push_back(h);
  }
  return it->second;
}

// A settled service (nothing to replace, nothing unknown) whose spread on an
// attribute leaves a value (a zone) empty while another holds two tasks or
// more gets one task moved per empty value, as a replacement within the
// deployment limits, when a host of the empty value can take it; otherwise
// the plan says why not.
void Planner::Rebalance(ReplicaWork& w) {
  const auto field = BalanceField(w.req);
  if (!field || !w.sorted.movers.empty() || !w.sorted.broken.empty() || !w.sorted.lost.empty() ||
      w.sorted.frozen > 0 || w.present != w.target || w.sorted.good.size() < 2) {
    return;
  }
  std::map<std::string, int> count;  // tasks per value, for every value of an eligible host
  int most = 0;
  for (const auto* t : w.sorted.good) {
    int h = view_.FindHost(t->host);
    if (h >= 0) most = std::max(most, ++count[SpreadValue(view_, *field, h)]);
  }
  if (most < 2) return;  // nothing could move (the common case: checked before any host scan)
  // Values without a task count when one of their hosts could run one.
  for (const auto& [value, hosts] : HostsByValue(*field)) {
    if (count.count(value) > 0) continue;
    if (std::any_of(hosts.begin(), hosts.end(), [&](int h) { return Eligible(view_, w.req, h); })) {
      count.emplace(value, 0);
    }
  }
  for (;;) {
    auto empty =
        std::find_if(count.begin(), count.end(), [](const auto& c) { return c.second == 0; });
    auto fullest = std::max_element(count.begin(), count.end(), [](const auto& a, const auto& b) {
      return a.second < b.second;
    });
    if (empty == count.end() || fullest->second < 2) return;
    // The last task of the fullest value moves; its slot is free for the trial.
    auto victim = std::find_if(w.sorted.good.rbegin(), w.sorted.good.rend(), [&](const auto* t) {
      return SpreadValue(view_, *field, view_.FindHost(t->host)) == fullest->first;
    });
    const observe::ObservedTask& task = **victim;
    Vacate(task);
    Placement trial = Place(view_, w.req, 1);
    for (int h : trial.hosts) view_.RemoveTask(h, w.req.service, w.req.demand);
    auto shown = [](const std::string& value) { return value.empty() ? "(unset)" : value; };
    if (trial.hosts.empty() || count[SpreadValue(view_, *field, trial.hosts[0])] != 0) {
      int h = view_.FindHost(task.host);
      if (vacated_.erase(task.id) > 0) view_.AddTask(h, task.service, TaskDemand{});
      warnings_.push_back("service " + w.service->name + ": spread on " + *field + ": " +
                          shown(empty->first) + " has no task and no host there can take one");
      return;
    }
    const std::string gets = SpreadValue(view_, *field, trial.hosts[0]);
    w.sorted.movers.push_back(
        {&task, "rebalance: " + *field + " " + shown(gets) + " has no task (spread)", true});
    w.sorted.good.erase(std::next(victim).base());
    --w.present;
    --fullest->second;
    ++count[gets];
  }
}

// Reconcile: what runs against what the source wants. Broken tasks are stopped
// first, a surplus is scaled in, stopped tasks of a finished deployment are
// removed, and the target is held back while hosts whose tasks are unknown did
// not answer. The movers (old revision, drift, draining) are left for the rollout.
ReplicaWork Planner::Reconcile(const model::Service& s, const model::TaskDefinition& td) {
  ReplicaWork w{&s, &td, NewServicePlan(s, td, "REPLICA"),
                RequestFor(s, td, desired_.source_revision)};
  w.sp.desired = s.desired_count;
  w.sorted = Sort(by_service_[s.name], td);
  w.sp.running = w.sorted.running;
  w.sp.drift = w.sorted.drift;
  w.present = static_cast<int>(w.sorted.good.size()) + w.sorted.frozen;
  for (const auto& b : w.sorted.broken) {
    w.first_stops.push_back(LeaveAction(b));
    Release(*b.task);
  }
  if (w.present > w.sp.desired) {
    int excess = std::min(w.present - w.sp.desired, static_cast<int>(w.sorted.good.size()));
    auto victims =
        ScaleIn(w.req, w.sorted.good, excess,
                "scale in " + std::to_string(w.present) + " -> " + std::to_string(w.sp.desired));
    w.first_stops.insert(w.first_stops.end(), victims.begin(), victims.end());
    w.present -= excess;
  }
  if (w.sorted.movers.empty()) {
    for (const auto* t : w.sorted.old_stopped) {
      w.first_stops.push_back(LeaveAction({t, "deployment finished", true}));
    }
  }
  // Tasks on hosts that did not answer may still run: only replace what is
  // seen, never start tasks to make up a count that may already be met.
  w.target = w.sp.desired;
  if (!unreachable_.empty()) {
    int seen = w.present + static_cast<int>(w.sorted.broken.size() + w.sorted.movers.size());
    if (seen < w.target) {
      int held = w.target - seen;
      warnings_.push_back("service " + s.name + ": " + std::to_string(held) +
                          (held == 1 ? " task is" : " tasks are") + " not started while " +
                          unreachable_ + " did not answer (they may run there)");
      w.target = seen;
    }
  }
  return w;
}

// Feasibility: which replacements the fleet can take. The slot of every task
// being replaced counts as free for placement (spread, distinctInstance), its
// resources stay held until it stops; a settled service that a spread strategy
// finds unbalanced gets a move; then the rollout is cut into steps within the
// deployment limits and the capacity left.
void Planner::Feasibility(ReplicaWork& w) {
  Rebalance(w);
  for (const auto& m : w.sorted.movers) Vacate(*m.task);
  const auto& dc = w.service->deployment_configuration;
  RolloutInput in{w.target,           static_cast<int>(w.sorted.movers.size()),
                  w.present,          dc.minimum_healthy_percent,
                  dc.maximum_percent, kUnlimitedCapacity};
  if (!w.sorted.movers.empty()) {
    in.capacity = Capacity(w.req, std::max(0, w.target - w.present));
    auto old = std::find_if(w.sorted.movers.begin(), w.sorted.movers.end(),
                            [](const Leaving& l) { return !l.remove; });
    if (old != w.sorted.movers.end()) {
      Deployment dep;
      dep.from_revision = old->task->revision;
      dep.to_revision = w.td->revision;
      dep.circuit_breaker = dc.circuit_breaker.enable;
      dep.rollback = dc.circuit_breaker.rollback;
      dep.failure_threshold = model::CircuitBreakerThreshold(w.sp.desired);
      w.sp.deployment = dep;
    }
  }
  w.rollout = PlanRollout(in);
  if (w.sp.deployment) {
    w.sp.deployment->min_healthy = w.rollout.min_healthy;
    w.sp.deployment->max_running = w.rollout.max_running;
  }
  if (w.rollout.steps.empty() && !w.first_stops.empty()) w.rollout.steps.push_back({0, 0});
}

// Rank: each step's new tasks go where the scheduler ranks best (Place); each
// start is paired with the task it replaces (broken first, then lost, then
// movers stopped in this step or an earlier one), and the movers of the step
// are stopped after its starts.
void Planner::Rank(ReplicaWork& w) {
  const model::Service& s = *w.service;
  std::deque<const Leaving*> to_pair;
  for (const auto& b : w.sorted.broken) to_pair.push_back(&b);
  for (const auto& l : w.sorted.lost) to_pair.push_back(&l);
  size_t next_mover = 0;
  int started = 0, old_left = static_cast<int>(w.sorted.movers.size());
  std::vector<std::string> block_reasons;
  for (size_t i = 0; i < w.rollout.steps.size(); ++i) {
    DeploymentStep step;
    step.min_healthy = w.rollout.min_healthy;
    step.max_running = w.rollout.max_running;
    Placement placed = Place(view_, w.req, w.rollout.steps[i].start);
    int stops = w.rollout.steps[i].stop;
    if (placed.unplaced > 0) {
      block_reasons = placed.reasons;
      int running_after = old_left + w.present + started + static_cast<int>(placed.hosts.size());
      stops = std::clamp(running_after - w.rollout.min_healthy, 0, std::min(stops, old_left));
    }
    std::vector<const Leaving*> step_movers;
    for (int k = 0; k < stops; ++k) step_movers.push_back(&w.sorted.movers[next_mover++]);
    to_pair.insert(to_pair.end(), step_movers.begin(), step_movers.end());
    for (int h : placed.hosts) {
      TaskAction a = StartAction(h, s, *w.td);
      if (!to_pair.empty()) {
        a.replaces = to_pair.front()->task->id;
        a.reason = to_pair.front()->reason;
        to_pair.pop_front();
      } else {
        a.reason = "scale up " + std::to_string(w.present + started) + " -> " +
                   std::to_string(w.sp.desired);
      }
      ++started;
      step.actions.push_back(std::move(a));
    }
    if (i == 0) step.actions.insert(step.actions.end(), w.first_stops.begin(), w.first_stops.end());
    for (const auto* m : step_movers) {
      step.actions.push_back(LeaveAction(*m));
      Release(*m->task);
    }
    old_left -= stops;
    if (!step.actions.empty()) w.sp.steps.push_back(std::move(step));
    if (placed.unplaced > 0) break;
  }
  int missing = w.target - w.present - started;
  if (!w.sorted.movers.empty() && missing <= 0 && w.rollout.stuck.empty() && !w.sp.steps.empty()) {
    // Stopped old tasks left by an earlier deployment go with this one's end.
    for (const auto* t : w.sorted.old_stopped) {
      w.sp.steps.back().actions.push_back(LeaveAction({t, "deployment finished", true}));
    }
  }
  if (missing > 0) {
    if (block_reasons.empty() && !w.rollout.stuck.empty()) {
      block_reasons.push_back("deployment cannot progress: " + w.rollout.stuck);
    }
    if (!block_reasons.empty()) w.sp.blocked.push_back({missing, block_reasons});
  }
}

ServicePlan Planner::PlanReplica(const model::Service& s, const model::TaskDefinition& td) {
  ReplicaWork w = Reconcile(s, td);
  Feasibility(w);
  Rank(w);
  return std::move(w.sp);
}

ServicePlan Planner::PlanDaemon(const model::Service& s, const model::TaskDefinition& td) {
  ServicePlan sp = NewServicePlan(s, td, "DAEMON");
  PlacementRequest req = RequestFor(s, td, desired_.source_revision);
  Sorted sorted = Sort(by_service_[s.name], td);
  sp.running = sorted.running;
  sp.drift = sorted.drift;

  // Old, broken and misplaced tasks go first (a daemon host has room for one task).
  DeploymentStep stops, starts;
  std::map<std::string, const Leaving*> replaced_on;
  for (const auto* list : {&sorted.broken, &sorted.movers}) {
    for (const auto& l : *list) {
      stops.actions.push_back(LeaveAction(l));
      Release(*l.task);
      replaced_on.emplace(l.task->host, &l);
    }
  }
  if (sorted.movers.empty()) {
    for (const auto* t : sorted.old_stopped) {
      stops.actions.push_back(LeaveAction({t, "deployment finished", true}));
    }
  }
  std::map<std::string, int> per_host;
  for (const auto* t : sorted.good) {
    std::string reason;
    if (auto why = Ineligibility(view_, req, view_.FindHost(t->host))) {
      reason = "host no longer eligible: " + *why;
    } else if (++per_host[t->host] > 1) {
      reason = "one task per host (DAEMON)";
    }
    if (reason.empty()) continue;
    stops.actions.push_back(LeaveAction({t, reason, true}));
    Release(*t);
  }
  for (int h = 0; h < view_.size(); ++h) {
    if (Eligible(view_, req, h)) ++sp.desired;
  }
  DaemonPlacement placed = PlaceDaemon(view_, req);
  for (int h : placed.hosts) {
    TaskAction a = StartAction(h, s, td);
    a.reason = "daemon on " + a.host;
    if (auto it = replaced_on.find(a.host); it != replaced_on.end()) {
      a.replaces = it->second->task->id;
      a.reason = it->second->reason;
    }
    starts.actions.push_back(std::move(a));
  }
  for (auto* step : {&stops, &starts}) {
    if (step->actions.empty()) continue;
    step->max_running = sp.desired;
    sp.steps.push_back(std::move(*step));
  }
  if (!placed.reasons.empty()) {
    sp.blocked.push_back({static_cast<int>(placed.reasons.size()), placed.reasons});
  }
  return sp;
}

ServicePlan Planner::PlanPrune(const std::string& service,
                               const std::vector<const observe::ObservedTask*>& tasks) {
  ServicePlan sp;
  sp.service = service;
  sp.scheduling_strategy = "REPLICA";
  DeploymentStep step;
  int left = 0;
  for (const auto* t : tasks) {
    if (Live(*t)) ++sp.running;
    sp.family = t->family;
    if (!HostReachable(t->host)) continue;
    if (options_.prune || desired_.cluster.prune) {
      step.actions.push_back(LeaveAction({t, "service removed (prune)", true}));
    } else {
      ++left;
    }
  }
  if (left > 0) {
    warnings_.push_back("service " + service + " is not in the source; its " +
                        std::to_string(left) + (left == 1 ? " task is" : " tasks are") +
                        " left as they are (pass --prune to remove them)");
  }
  if (!step.actions.empty()) sp.steps.push_back(std::move(step));
  return sp;
}

void Planner::Finish(Plan& plan) const {
  std::sort(plan.services.begin(), plan.services.end(),
            [](const ServicePlan& a, const ServicePlan& b) { return a.service < b.service; });
  plan.summary = ComputeSummary(plan.services);
  int running = 0;
  for (const auto& t : observed_.tasks) {
    if (Live(t)) ++running;
  }
  std::set<std::string> replaced;
  for (const auto& s : plan.services) {
    for (const auto& step : s.steps) {
      for (const auto& a : step.actions) {
        if (!a.replaces.empty()) replaced.insert(a.replaces);
      }
    }
  }
  int stopping = 0;
  for (const auto& s : plan.services) {
    for (const auto& step : s.steps) {
      for (const auto& a : step.actions) {
        if (a.type == ActionType::kStart || replaced.count(a.task_id)) continue;
        auto it = task_by_id_.find(a.task_id);
        if (it != task_by_id_.end() && Live(*it->second)) ++stopping;
      }
    }
  }
  if (!options_.allow_mass_delete && running > 0 && stopping * 2 > running) {
    plan.errors.push_back("this plan stops " + std::to_string(stopping) + " of " +
                          std::to_string(running) +
                          " running tasks (more than half); pass --allow-mass-delete to allow it");
  }
}

Plan Planner::Run() {
  Plan plan;
  plan.cluster = desired_.cluster.name;
  plan.source_revision = desired_.source_revision;
  plan.source.template_values = desired_.template_values;
  plan.state_fingerprint = fingerprint_;
  plan.host_fingerprints = host_fingerprints_;
  IndexTasks();
  CheckTargets();
  NoteUnreachable();
  // DAEMON services are placed first, then replicas; each in name order.
  for (bool daemon : {true, false}) {
    for (const auto& s : desired_.services) {
      if (!Targeted(s.name) ||
          (s.scheduling_strategy == model::SchedulingStrategy::kDaemon) != daemon) {
        continue;
      }
      auto td = definitions_.find(s.task_definition);
      if (td == definitions_.end()) continue;  // validation rejects this
      ServicePlan sp = daemon ? PlanDaemon(s, *td->second) : PlanReplica(s, *td->second);
      if (!sp.HasChanges() && sp.blocked.empty()) continue;
      DescribeChanges(sp, s, *td->second, by_service_[s.name]);
      plan.services.push_back(std::move(sp));
    }
  }
  for (const auto& [service, tasks] : by_service_) {
    if (desired_services_.count(service) > 0 || !Targeted(service)) continue;
    ServicePlan sp = PlanPrune(service, tasks);
    if (sp.HasChanges()) plan.services.push_back(std::move(sp));
  }
  Finish(plan);
  plan.warnings = warnings_;
  plan.errors.insert(plan.errors.begin(), errors_.begin(), errors_.end());
  return plan;
}

}  // namespace

std::string GraceText(std::chrono::seconds grace) {
  long long total = grace.count();
  if (total <= 0) return "0s";
  std::string out;
  for (auto [unit, name] : {std::pair{3600LL, "h"}, {60LL, "m"}, {1LL, "s"}}) {
    if (total >= unit) {
      out += std::to_string(total / unit) + name;
      total %= unit;
    }
  }
  return out;
}

Plan MakePlan(const model::DesiredState& desired, const observe::ObservedState& observed,
              const PlanOptions& options) {
  Plan plan = Planner(desired, observed, options).Run();
  plan.order = OrderRelease(desired, plan.services);
  return plan;
}

int DesiredTasks(const model::DesiredState& desired, const observe::ObservedState& observed,
                 const model::Service& service) {
  if (service.scheduling_strategy != model::SchedulingStrategy::kDaemon) {
    return service.desired_count;
  }
  const model::TaskDefinition* td = desired.FindTaskDefinition(service.task_definition);
  if (td == nullptr) return 0;
  ClusterView view(desired.cluster, observed);
  const PlacementRequest request = RequestFor(service, *td, desired.source_revision);
  int n = 0;
  for (int h = 0; h < view.size(); ++h) n += Eligible(view, request, h) ? 1 : 0;
  return n;
}

}  // namespace stowage::plan
