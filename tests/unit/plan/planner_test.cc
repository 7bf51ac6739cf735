#include "plan/planner.h"

#include <catch2/catch.hpp>

#include "plan/plan_json.h"
#include "render/plan_text.h"
#include "support/plan_world.h"

namespace stowage::plan {
namespace {

using testing::PlanWorld;

std::vector<std::string> Actions(const Plan& p) { return testing::ActionLines(p); }

void ThreeHosts(PlanWorld& w) {
  for (const char* h : {"h1", "h2", "h3"}) w.AddHost(h);
  w.AddTaskDefinition("web");
  w.AddService("web", "web", 3);
}

}  // namespace

TEST_CASE("planner spreads a new service over the hosts", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  Plan p = w.Plan();
  CHECK(Actions(p) == std::vector<std::string>{"web start h1 scale up 0 -> 3",
                                               "web start h2 scale up 1 -> 3",
                                               "web start h3 scale up 2 -> 3"});
  CHECK(p.summary.to_start == 3);
  CHECK(p.errors.empty());
  CHECK(p.services[0].steps[0].actions[0].task_id.size() == 12);
}

TEST_CASE("planner plans nothing when the cluster matches", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  for (const char* h : {"h1", "h2", "h3"}) w.SeedTask("web", h, std::string("t-") + h);
  Plan p = w.Plan();
  CHECK(p.services.empty());
  CHECK_FALSE(p.HasChanges());
}

TEST_CASE("planner replaces an exited task", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  w.SeedTask("web", "h1", "t1");
  w.SeedTask("web", "h2", "t2", nullptr, runtime::ContainerState::kExited);
  w.SeedTask("web", "h3", "t3");
  Plan p = w.Plan();
  CHECK(Actions(p) ==
        std::vector<std::string>{"web start h2 exited (code 0)", "web remove h2 exited (code 0)"});
  CHECK(p.services[0].steps[0].actions[0].replaces == "t2");
  CHECK(p.summary.to_replace == 1);
  CHECK(p.summary.to_stop == 0);
}

TEST_CASE("planner replaces a task whose container was created but never started",
          "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  w.SeedTask("web", "h1", "t1");
  w.SeedTask("web", "h2", "t2", nullptr, runtime::ContainerState::kCreated);
  w.SeedTask("web", "h3", "t3");
  Plan p = w.Plan();
  CHECK(Actions(p) == std::vector<std::string>{"web start h2 container app never started",
                                               "web remove h2 container app never started"});
  CHECK(p.services[0].steps[0].actions[0].replaces == "t2");
}

TEST_CASE("planner scales in from the host with the most tasks", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  w.desired.services[0].desired_count = 2;
  w.SeedTask("web", "h1", "t1");
  w.SeedTask("web", "h3", "t3");
  w.SeedTask("web", "h3", "t4");
  Plan p = w.Plan();
  CHECK(Actions(p) == std::vector<std::string>{"web remove h3 scale in 3 -> 2"});
  CHECK(p.summary.to_stop == 1);
}

TEST_CASE("a revision change is a deployment within the service's limits", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  model::TaskDefinition old = w.desired.task_definitions[0];
  for (const char* h : {"h1", "h2", "h3"}) w.SeedTask("web", h, std::string("t-") + h, &old);
  w.desired.task_definitions[0].containers[0].environment.push_back({"V", "2"});
  w.Revise();
  auto& dc = w.desired.services[0].deployment_configuration;
  dc.minimum_healthy_percent = 50;
  dc.maximum_percent = 100;
  dc.circuit_breaker = {true, true};
  Plan p = w.Plan();
  REQUIRE(p.services.size() == 1);
  const ServicePlan& s = p.services[0];
  REQUIRE(s.deployment);
  CHECK(s.deployment->from_revision == old.revision);
  CHECK(s.deployment->min_healthy == 2);
  CHECK(s.deployment->max_running == 3);
  CHECK(s.deployment->failure_threshold == 3);
  // 3 running, at most 3, at least 2: stop one, then one in one out, twice,
  // then start the last; every start replaces a stopped task.
  REQUIRE(s.steps.size() == 4);
  CHECK(Actions(p) ==
        std::vector<std::string>{"web stop h1 revision change", "web start h1 revision change",
                                 "web stop h2 revision change", "web start h2 revision change",
                                 "web stop h3 revision change", "web start h3 revision change"});
  CHECK(s.steps[1].actions[0].replaces == "t-h1");
  CHECK(p.summary.to_replace == 3);
  CHECK(p.summary.to_stop == 0);
  CHECK(p.summary.to_start == 0);
}

TEST_CASE("a task that fits nowhere is blocked, host by host", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  w.desired.task_definitions[0].containers[0].memory = 9000;
  w.Revise();
  Plan p = w.Plan();
  REQUIRE(p.services.size() == 1);
  REQUIRE(p.services[0].blocked.size() == 1);
  CHECK(p.services[0].blocked[0].count == 3);
  CHECK(p.services[0].blocked[0].reasons ==
        std::vector<std::string>{"h1: memory 9000 > 8192 free", "h2: memory 9000 > 8192 free",
                                 "h3: memory 9000 > 8192 free"});
  CHECK(p.summary.blocked_services == 1);
}

TEST_CASE("services gone from the source are removed only with prune", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  for (const char* h : {"h1", "h2", "h3"}) w.SeedTask("web", h, std::string("t-") + h);
  w.AddTaskDefinition("old");
  w.AddService("old", "old", 1);
  w.SeedTask("old", "h1", "o1");
  w.desired.services.pop_back();
  Plan keep = w.Plan();
  CHECK(keep.services.empty());
  CHECK(keep.warnings ==
        std::vector<std::string>{"service old is not in the source; its 1 task is left as they are "
                                 "(pass --prune to remove them)"});
  Plan pruned = w.Plan({.prune = true});
  CHECK(Actions(pruned) == std::vector<std::string>{"old remove h1 service removed (prune)"});
  CHECK(pruned.errors.empty());
}

TEST_CASE("stopping more than half of all tasks needs --allow-mass-delete", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  for (const char* h : {"h1", "h2", "h3"}) w.SeedTask("web", h, std::string("t-") + h);
  w.desired.services[0].desired_count = 1;
  Plan p = w.Plan();
  CHECK(p.errors == std::vector<std::string>{"this plan stops 2 of 3 running tasks (more than "
                                             "half); pass --allow-mass-delete to allow it"});
  CHECK(w.Plan({.allow_mass_delete = true}).errors.empty());
}

TEST_CASE("unlabelled containers are never part of a plan", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  w.SeedUnlabelled("h1", "by-hand");
  Plan p = w.Plan({.prune = true});
  for (const auto& line : Actions(p)) CHECK(line.find("remove") == std::string::npos);
  CHECK(p.summary.to_start == 3);
}

TEST_CASE("an unreachable host is a warning and its tasks stay", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  for (const char* h : {"h1", "h2", "h3"}) w.SeedTask("web", h, std::string("t-") + h);
  w.Engine("h3").SetUnreachable(true);
  w.SeedTask("web", "h2", "t-exited", nullptr, runtime::ContainerState::kExited);
  w.desired.services[0].desired_count = 4;
  Plan p = w.Plan();
  // The exited task is replaced; the fourth is not started: it may run on h3.
  CHECK(Actions(p) ==
        std::vector<std::string>{"web start h1 exited (code 0)", "web remove h2 exited (code 0)"});
  REQUIRE(p.warnings.size() == 2);
  CHECK(p.warnings[0].rfind("host h3 is unreachable (", 0) == 0);
  CHECK(p.warnings[1] ==
        "service web: 1 task is not started while host h3 did not answer (they may run there)");
}

TEST_CASE("tasks on a draining host move off", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  for (const char* h : {"h1", "h2", "h3"}) w.SeedTask("web", h, std::string("t-") + h);
  w.desired.cluster.hosts[2].state = model::HostState::kDraining;
  Plan p = w.Plan();
  CHECK(Actions(p) ==
        std::vector<std::string>{"web start h1 host draining", "web remove h3 host draining"});
}

TEST_CASE("a container changed by hand is drift and replaced", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  for (const char* h : {"h1", "h2", "h3"}) w.SeedTask("web", h, std::string("t-") + h);
  REQUIRE(w.Engine("h2").SetLabel("web.app.t-h2", "io.stowage.family", "other").ok());
  Plan p = w.Plan();
  CHECK(Actions(p) == std::vector<std::string>{"web start h2 drift: app label "
                                               "io.stowage.family changed",
                                               "web remove h2 drift: app label "
                                               "io.stowage.family changed"});
}

TEST_CASE("DAEMON services get one task per host, first", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  w.AddTaskDefinition("agent");
  auto& agent = w.AddService("agent", "agent", 0);
  agent.scheduling_strategy = model::SchedulingStrategy::kDaemon;
  Plan p = w.Plan();
  REQUIRE(p.services.size() == 2);
  CHECK(p.services[0].service == "agent");
  CHECK(p.services[0].desired == 3);
  CHECK(p.services[0].steps[0].actions.size() == 3);
}

TEST_CASE("the --target option limits the plan to the named services", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  w.AddTaskDefinition("api");
  w.AddService("api", "api", 1);
  Plan p = w.Plan({.targets = {"api"}});
  CHECK(Actions(p) == std::vector<std::string>{"api start h1 scale up 0 -> 1"});
  Plan bad = w.Plan({.targets = {"nope"}});
  CHECK(bad.errors == std::vector<std::string>{
                          "--target nope: no service of that name in the source or on the hosts"});
}

TEST_CASE("the same inputs give byte-identical plan JSON", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  w.SeedTask("web", "h1", "t1");
  observe::ObservedState observed = w.Observe();
  std::string a = PlanToJsonText(MakePlan(w.desired, observed, {}));
  std::string b = PlanToJsonText(MakePlan(w.desired, observed, {}));
  CHECK(a == b);
  auto back = ParsePlanJson(a);
  REQUIRE(back.ok());
  CHECK(PlanToJsonText(*back) == a);
}

TEST_CASE("applying a plan then planning again gives an empty plan", "[plan][planner]") {
  PlanWorld w;
  ThreeHosts(w);
  w.SeedTask("web", "h1", "t1", nullptr, runtime::ContainerState::kExited);
  Plan p = w.Plan();
  REQUIRE(p.HasChanges());
  CHECK(w.Apply(p) == 0);
  Plan again = w.Plan();
  CHECK(render::RenderPlanText(again, {}) ==
        "No changes: the cluster prod matches the source.\n\nNo changes.\n");
}

}  // namespace stowage::plan
