// The release order: which gates wait, and the waves, by example and as
// properties over random dependency graphs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "plan/order.h"

namespace stowage::plan {
namespace {

using model::ServiceCondition;
using Waves = std::vector<std::vector<std::string>>;

model::ServiceDependency On(const std::string& target, ServiceCondition c, bool task = false) {
  model::ServiceDependency d;
  (task ? d.task_family : d.service) = target;
  d.condition = c;
  return d;
}

model::Service Svc(const std::string& name, std::vector<model::ServiceDependency> deps = {}) {
  model::Service s;
  s.name = name;
  s.task_definition = name;
  s.desired_count = 2;
  s.depends_on = std::move(deps);
  return s;
}

TaskAction Start(const std::string& replaces = "") {
  TaskAction a;
  a.type = ActionType::kStart;
  a.host = "h1";
  a.task_id = "t";
  a.replaces = replaces;
  return a;
}

enum class Kind { kFresh, kDeploy, kHeal, kScale, kBlocked, kCleanup };

ServicePlan Planned(const std::string& name, Kind kind) {
  ServicePlan sp;
  sp.service = name;
  sp.running = kind == Kind::kFresh ? 0 : 2;
  DeploymentStep step;
  switch (kind) {
    case Kind::kFresh:
    case Kind::kScale:
      step.actions = {Start()};
      break;
    case Kind::kDeploy:
      sp.deployment = Deployment{};
      step.actions = {Start("old")};
      break;
    case Kind::kHeal:
      step.actions = {Start("exited")};
      break;
    case Kind::kBlocked:
      sp.blocked = {{1, {"h1: memory 512 > 300 free"}}};
      break;
    case Kind::kCleanup:
      step.actions = {Start()};
      step.actions[0].type = ActionType::kRemove;
      break;
  }
  if (!step.actions.empty()) sp.steps.push_back(step);
  return sp;
}

model::DesiredState Desired(std::vector<model::Service> services) {
  model::DesiredState d;
  for (const auto& s : services) {
    model::TaskDefinition td;
    td.family = s.name;
    td.revision = "rev-" + s.name;
    d.task_definitions.push_back(td);
  }
  model::TaskDefinition migrate;
  migrate.family = "migrate";
  migrate.revision = "0123456789abcdef";
  d.task_definitions.push_back(migrate);
  std::sort(d.task_definitions.begin(), d.task_definitions.end(),
            [](const auto& a, const auto& b) { return a.family < b.family; });
  d.services = std::move(services);
  std::sort(d.services.begin(), d.services.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return d;
}

}  // namespace

TEST_CASE("what deploys and what only scales", "[order]") {
  CHECK(Deploys(Planned("a", Kind::kFresh)));
  CHECK(Deploys(Planned("a", Kind::kDeploy)));
  CHECK(Deploys(Planned("a", Kind::kHeal)));
  CHECK(Deploys(Planned("a", Kind::kBlocked)));
  CHECK_FALSE(Deploys(Planned("a", Kind::kScale)));
  CHECK_FALSE(Deploys(Planned("a", Kind::kCleanup)));
}

TEST_CASE("three tiers from empty: one wave each, the migration with api", "[order]") {
  auto desired = Desired({Svc("db"),
                          Svc("api", {On("db", ServiceCondition::kHealthy),
                                      On("migrate", ServiceCondition::kSuccess, true)}),
                          Svc("web", {On("api", ServiceCondition::kHealthy)}), Svc("cache")});
  auto order = OrderRelease(desired, {Planned("api", Kind::kFresh), Planned("cache", Kind::kFresh),
                                      Planned("db", Kind::kFresh), Planned("web", Kind::kFresh)});
  CHECK(order.waves == Waves{{"cache", "db"}, {"api"}, {"web"}});
  REQUIRE(order.gates.size() == 3);
  CHECK(order.gates[0] == DependencyGate{"api", GateKind::kService, "db", "HEALTHY", "", true, ""});
  CHECK(order.gates[1] ==
        DependencyGate{"api", GateKind::kTask, "migrate", "SUCCESS", "0123456789abcdef", true, ""});
  CHECK(order.gates[2] ==
        DependencyGate{"web", GateKind::kService, "api", "HEALTHY", "", true, ""});
}

TEST_CASE("a change to web alone does not wait; scale-only changes do not wait", "[order]") {
  auto desired = Desired({Svc("db"), Svc("api", {On("db", ServiceCondition::kHealthy)}),
                          Svc("web", {On("api", ServiceCondition::kHealthy),
                                      On("migrate", ServiceCondition::kSuccess, true)})});
  auto order = OrderRelease(desired, {Planned("web", Kind::kDeploy)});
  CHECK(order.waves == Waves{{"web"}});
  REQUIRE(order.gates.size() == 2);
  CHECK_FALSE(order.gates[0].waits);
  CHECK(order.gates[0].why == "api has nothing to deploy");
  CHECK(order.gates[1].waits);  // web deploys: its one-shot task runs first

  order = OrderRelease(desired, {Planned("api", Kind::kScale), Planned("db", Kind::kDeploy),
                                 Planned("web", Kind::kDeploy)});
  CHECK(order.waves == Waves{{"api", "db", "web"}});
  CHECK(order.gates[0].why == "api only scales");  // api on db: the dependent scales
  CHECK(order.gates[1].why == "api only scales");  // web on api: the dependency scales
}

TEST_CASE("a service being pruned depends on nothing", "[order]") {
  auto desired = Desired({Svc("web")});
  ServicePlan gone = Planned("old", Kind::kCleanup);
  auto order = OrderRelease(desired, {gone, Planned("web", Kind::kFresh)});
  CHECK(order.waves == Waves{{"old", "web"}});
  CHECK(order.gates.empty());
  CHECK(OrderRelease(desired, {}).waves.empty());
}

TEST_CASE("property: random dependency graphs", "[order][property]") {
  const Kind kinds[] = {Kind::kFresh, Kind::kDeploy,  Kind::kHeal,
                        Kind::kScale, Kind::kBlocked, Kind::kCleanup};
  for (unsigned seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(seed);
    const int n = 1 + static_cast<int>(rng() % 25);
    std::vector<model::Service> services;
    std::vector<ServicePlan> planned;
    std::map<std::string, bool> deploys;  // planned services only
    for (int i = 0; i < n; ++i) {
      const std::string name = "s" + std::to_string(100 + i);
      std::vector<model::ServiceDependency> deps;
      for (int j = 0; j < i; ++j) {  // edges only to earlier services: a DAG
        if (rng() % 4 == 0) {
          deps.push_back(On("s" + std::to_string(100 + j),
                            rng() % 2 ? ServiceCondition::kHealthy : ServiceCondition::kStarted));
        }
      }
      if (rng() % 5 == 0) deps.push_back(On("migrate", ServiceCondition::kSuccess, true));
      services.push_back(Svc(name, deps));
      if (rng() % 4 != 0) {
        planned.push_back(Planned(name, kinds[rng() % 6]));
        deploys[name] = Deploys(planned.back());
      }
    }
    const auto desired = Desired(services);
    const ReleaseOrder order = OrderRelease(desired, planned);
    INFO("seed " << seed);

    // Every planned service is in exactly one wave, nothing else is.
    std::map<std::string, std::size_t> wave_of;
    for (std::size_t w = 0; w < order.waves.size(); ++w) {
      CHECK_FALSE(order.waves[w].empty());
      for (const auto& name : order.waves[w]) {
        CHECK(deploys.count(name) == 1);
        CHECK(wave_of.emplace(name, w).second);
      }
    }
    CHECK(wave_of.size() == deploys.size());

    // A gate waits exactly when both sides deploy (a task: when its service does).
    std::map<std::string, std::set<std::string>> waits_on;
    std::size_t gates = 0;
    for (const auto& s : services) {
      if (!deploys.count(s.name)) continue;
      gates += s.depends_on.size();
    }
    CHECK(order.gates.size() == gates);
    for (const auto& g : order.gates) {
      const bool dep_deploys = g.kind == GateKind::kTask || (deploys.count(g.on) && deploys[g.on]);
      CHECK(g.waits == (deploys[g.service] && dep_deploys));
      CHECK(g.why.empty() == g.waits);
      if (g.waits && g.kind == GateKind::kService) waits_on[g.service].insert(g.on);
    }

    // No service comes before one it waits for; each is as early as it can be,
    // so independent services share a wave.
    for (const auto& [name, w] : wave_of) {
      std::size_t deepest = 0;
      bool any = false;
      for (const auto& dep : waits_on[name]) {
        REQUIRE(wave_of.count(dep) == 1);
        CHECK(wave_of[dep] < w);
        deepest = std::max(deepest, wave_of[dep]);
        any = true;
      }
      CHECK(w == (any ? deepest + 1 : 0));
    }

    // Running the waves in order, a service starts only after everything it
    // waits for has finished.
    std::set<std::string> finished;
    for (const auto& wave : order.waves) {
      for (const auto& name : wave) {
        for (const auto& dep : waits_on[name]) CHECK(finished.count(dep) == 1);
      }
      finished.insert(wave.begin(), wave.end());
    }
  }
}

}  // namespace stowage::plan
