// Properties of the planner over many generated clusters (seeded, reproducible):
// identical inputs give identical JSON; capacity and host ports are never
// exceeded at any step; unlabelled containers are never touched; applying a plan
// and planning again converges to an empty plan; distinctInstance holds; spread
// on host stays balanced within one when capacity allows.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>

#include "plan/plan_json.h"
#include "plan/planner.h"
#include "plan/scheduler.h"
#include "support/plan_world.h"

namespace stowage::plan {
namespace {

using testing::PlanWorld;

struct Generated {
  PlanWorld world;
  std::vector<std::string> unlabelled;   // "host/name"
  std::set<std::string> fresh_services;  // no task before the plan
  bool ample = false;                    // capacity for everything
};

int Pick(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

void Generate(std::uint32_t seed, Generated& g) {
  std::mt19937 rng(seed);
  PlanWorld& w = g.world;
  g.ample = seed % 3 == 0;
  int hosts = Pick(rng, 1, 6);
  for (int i = 0; i < hosts; ++i) {
    auto& h = w.AddHost("h" + std::to_string(i), g.ample ? 1 << 20 : Pick(rng, 1, 4) * 1024,
                        g.ample ? 1 << 20 : Pick(rng, 1, 4) * 1024);
    h.attributes["zone"] = std::string(1, static_cast<char>('a' + i % 3));
  }
  int services = Pick(rng, 1, 6);
  std::map<std::string, int> load_cpu, load_mem;
  for (int i = 0; i < services; ++i) {
    std::string name = "s" + std::to_string(i);
    int port = Pick(rng, 0, 4) == 0 ? 8000 + i : 0;
    w.AddTaskDefinition(name, Pick(rng, 1, 8) * 128, Pick(rng, 1, 8) * 128, port);
    auto& s = w.AddService(name, name, Pick(rng, 0, 6));
    switch (Pick(rng, 0, 5)) {
      case 0:
        s.placement_strategy = {{"binpack", "memory", {}}};
        break;
      case 1:
        s.placement_strategy = {{"spread", "attribute:zone", {}}, {"spread", "host", {}}};
        break;
      case 2:
        s.placement_strategy = {{"random", "", {}}};
        break;
      case 3:
        s.placement_constraints = {{"distinctInstance", "", {}}};
        break;
      case 4:
        s.scheduling_strategy = model::SchedulingStrategy::kDaemon;
        break;
      default:
        break;
    }
    s.deployment_configuration.minimum_healthy_percent = Pick(rng, 0, 2) * 50;
    s.deployment_configuration.maximum_percent = 100 + Pick(rng, 0, 2) * 50;
  }
  // Existing tasks, where they fit: current or old revision, some exited.
  for (int i = 0; i < services; ++i) {
    const model::Service& s = w.desired.services[static_cast<size_t>(i)];
    model::TaskDefinition old = *w.desired.FindTaskDefinition(s.task_definition);
    old.containers[0].environment.push_back({"OLD", "1"});
    old.revision = "old" + std::to_string(i);
    int n = Pick(rng, 0, 4);
    if (n == 0) g.fresh_services.insert(s.name);
    for (int k = 0; k < n; ++k) {
      int h = Pick(rng, 0, hosts - 1);
      const auto& host = w.desired.cluster.hosts[static_cast<size_t>(h)];
      bool use_old = Pick(rng, 0, 3) == 0;
      const model::TaskDefinition& td =
          use_old ? old : *w.desired.FindTaskDefinition(s.task_definition);
      if (load_cpu[host.name] + td.CpuUnits() > host.capacity->cpu ||
          load_mem[host.name] + td.MemoryMiB() > host.capacity->memory ||
          !td.containers[0].port_mappings.empty() || (!s.placement_constraints.empty() && k > 0) ||
          s.scheduling_strategy == model::SchedulingStrategy::kDaemon) {
        continue;
      }
      bool exited = Pick(rng, 0, 4) == 0;
      if (!exited) {
        load_cpu[host.name] += td.CpuUnits();
        load_mem[host.name] += td.MemoryMiB();
      }
      w.SeedTask(s.name, host.name, "t" + std::to_string(i) + "x" + std::to_string(k), &td,
                 exited ? runtime::ContainerState::kExited : runtime::ContainerState::kRunning);
    }
  }
  if (Pick(rng, 0, 2) == 0) {
    g.unlabelled.push_back("h0/by-hand");
    w.SeedUnlabelled("h0", "by-hand");
  }
}

// Walks the plan's steps from the observed state and checks every host's CPU,
// memory and static ports at the peak of each step (starts before stops).
void CheckCapacity(const PlanWorld& w, const observe::ObservedState& observed, const Plan& p) {
  std::map<std::string, TaskDemand> running;  // task id -> usage
  std::map<std::string, std::string> where;
  for (const auto& t : observed.tasks) {
    if (!t.active) continue;
    running[t.id] = UsageOf(t);
    where[t.id] = t.host;
  }
  auto check = [&](const std::string& when) {
    std::map<std::string, std::pair<int, int>> use;
    std::map<std::string, std::multiset<int>> ports;
    for (const auto& [id, d] : running) {
      auto& u = use[where[id]];
      u.first += d.cpu;
      u.second += d.memory;
      for (const auto& port : d.static_ports) ports[where[id]].insert(port.port);
    }
    for (const auto& h : w.desired.cluster.hosts) {
      INFO(when << " on " << h.name);
      CHECK(use[h.name].first <= h.capacity->cpu);
      CHECK(use[h.name].second <= h.capacity->memory);
      for (int port : ports[h.name]) CHECK(ports[h.name].count(port) == 1);
    }
  };
  for (const auto& s : p.services) {
    const model::Service* svc = w.desired.FindService(s.service);
    for (const auto& step : s.steps) {
      for (const auto& a : step.actions) {
        if (a.type != ActionType::kStart) continue;
        running[a.task_id] = DemandOf(*w.desired.FindTaskDefinition(svc->task_definition));
        where[a.task_id] = a.host;
      }
      check("peak of a step of " + s.service);
      for (const auto& a : step.actions) {
        if (a.type != ActionType::kStart) running.erase(a.task_id);
      }
    }
  }
}

void CheckPlacementRules(Generated& g, const Plan& p) {
  observe::ObservedState after = g.world.Observe();
  for (const auto& s : g.world.desired.services) {
    std::map<std::string, int> per_host;
    for (const auto& t : after.tasks) {
      if (t.service == s.name && t.active) ++per_host[t.host];
    }
    if (!s.placement_constraints.empty()) {
      for (const auto& [host, n] : per_host) CHECK(n <= 1);
    }
    bool blocked = std::any_of(p.services.begin(), p.services.end(), [&](const ServicePlan& sp) {
      return sp.service == s.name && !sp.blocked.empty();
    });
    if (g.ample && g.fresh_services.count(s.name) && s.placement_strategy.empty() && !blocked &&
        s.scheduling_strategy == model::SchedulingStrategy::kReplica) {
      int lo = INT32_MAX, hi = 0;
      for (const auto& h : g.world.desired.cluster.hosts) {
        lo = std::min(lo, per_host[h.name]);
        hi = std::max(hi, per_host[h.name]);
      }
      INFO("spread of " << s.name);
      CHECK(hi - lo <= 1);
    }
  }
}

bool OnlyRebalance(const Plan& p) {
  for (const auto& s : p.services) {
    for (const auto& step : s.steps) {
      for (const auto& a : step.actions) {
        if (a.reason.rfind("rebalance: ", 0) != 0) return false;
      }
    }
  }
  return true;
}

}  // namespace

TEST_CASE("planner properties over generated clusters", "[plan][planner][property]") {
  for (std::uint32_t seed = 1; seed <= 150; ++seed) {
    INFO("seed " << seed);
    Generated g;
    Generate(seed, g);
    PlanOptions options{.prune = true, .allow_mass_delete = true};
    observe::ObservedState observed = g.world.Observe();
    Plan p = MakePlan(g.world.desired, observed, options);
    CHECK(PlanToJsonText(p) == PlanToJsonText(MakePlan(g.world.desired, observed, options)));
    CHECK(p.errors.empty());
    CheckCapacity(g.world, observed, p);

    bool blocked = p.summary.blocked_services > 0;
    g.world.Apply(p);
    CheckPlacementRules(g, p);
    Plan again = g.world.Plan(options);
    // Blocked services may take more rounds, and so may a spread that the first
    // round left unbalanced (other services' stops freed room): then every
    // further action is a rebalance move.
    for (int round = 0; (blocked || OnlyRebalance(again)) && again.HasChanges() && round < 5;
         ++round) {
      g.world.Apply(again);
      again = g.world.Plan(options);
    }
    INFO(PlanToJsonText(again));
    CHECK_FALSE(again.HasChanges());
    for (const auto& u : g.unlabelled) {
      auto slash = u.find('/');
      auto c = g.world.Engine(u.substr(0, slash)).Find(u.substr(slash + 1));
      REQUIRE(c.has_value());
      CHECK(c->summary.state == runtime::ContainerState::kRunning);
    }
  }
}

}  // namespace stowage::plan
