// Replacements honour spread: the slot of the task being replaced counts as
// free, and a spread a plan finds with an empty zone is rebalanced within the
// deployment limits (or the plan says why it cannot be).
#include <catch2/catch.hpp>

#include "plan/planner.h"
#include "support/plan_world.h"

namespace stowage::plan {
namespace {

using testing::ActionLines;
using testing::PlanWorld;

constexpr std::int64_t kMiB = 1024 * 1024;

// h1 and h3 in zone a, h2 in zone b; web (desired 2) spread on attribute:zone.
void Zones(PlanWorld& w, int h2_memory = 8192) {
  w.AddHost("h1").attributes["zone"] = "a";
  w.AddHost("h2", 4096, h2_memory).attributes["zone"] = "b";
  w.AddHost("h3").attributes["zone"] = "a";
  w.AddTaskDefinition("web");
  auto& web = w.AddService("web", "web", 2);
  web.placement_strategy.push_back({"spread", "attribute:zone", {}});
}

// Active web tasks per zone.
std::map<std::string, int> PerZone(PlanWorld& w) {
  std::map<std::string, int> out;
  for (const auto& t : w.Observe().tasks) {
    if (!t.active) continue;
    out[w.desired.cluster.FindHost(t.host)->attributes.at("zone")]++;
  }
  return out;
}

}  // namespace

TEST_CASE("a drifted task's replacement stays in its zone", "[plan][spread]") {
  PlanWorld w;
  Zones(w);
  w.SeedTask("web", "h1", "t-a");
  w.SeedTask("web", "h2", "t-b");
  REQUIRE(w.Engine("h2").UpdateConfig("web.app.t-b", {256, 128 * kMiB, 0, "no"}).ok());
  Plan p = w.Plan();
  CHECK(ActionLines(p) ==
        std::vector<std::string>{"web start h2 drift: app memory 128 MiB (defined 256 MiB)",
                                 "web remove h2 drift: app memory 128 MiB (defined 256 MiB)"});
  CHECK(w.Apply(p) == 0);
  CHECK(PerZone(w) == std::map<std::string, int>{{"a", 1}, {"b", 1}});
  CHECK_FALSE(w.Plan().HasChanges());
}

TEST_CASE("a drifted task's replacement stays on its host under the default spread",
          "[plan][spread]") {
  PlanWorld w;
  w.AddHost("h1");
  w.AddHost("h2");
  w.AddTaskDefinition("web");
  w.AddService("web", "web", 2);
  w.SeedTask("web", "h1", "t1");
  w.SeedTask("web", "h2", "t2");
  REQUIRE(w.Engine("h1").UpdateConfig("web.app.t1", {256, 256 * kMiB, 0, "always"}).ok());
  Plan p = w.Plan();
  CHECK(ActionLines(p) ==
        std::vector<std::string>{"web start h1 drift: app restart policy always (defined no)",
                                 "web remove h1 drift: app restart policy always (defined no)"});
}

TEST_CASE("a plan that finds a zone empty against spread moves a task there", "[plan][spread]") {
  PlanWorld w;
  Zones(w);
  w.SeedTask("web", "h1", "t1");
  w.SeedTask("web", "h3", "t3");  // both in zone a, zone b empty
  Plan p = w.Plan();
  CHECK(ActionLines(p) ==
        std::vector<std::string>{"web start h2 rebalance: attribute:zone b has no task (spread)",
                                 "web remove h3 rebalance: attribute:zone b has no task (spread)"});
  REQUIRE(p.services.size() == 1);
  REQUIRE(p.services[0].steps.size() == 1);
  CHECK(p.services[0].steps[0].min_healthy == 2);  // the start is gated before the stop
  CHECK(w.Apply(p) == 0);
  CHECK(PerZone(w) == std::map<std::string, int>{{"a", 1}, {"b", 1}});
  CHECK_FALSE(w.Plan().HasChanges());
}

TEST_CASE("rebalancing stays within the deployment limits", "[plan][spread]") {
  PlanWorld w;
  Zones(w);
  auto& dc = w.desired.services[0].deployment_configuration;
  dc.minimum_healthy_percent = 50;
  dc.maximum_percent = 100;  // no room for an extra task: stop first, then start
  w.SeedTask("web", "h1", "t1");
  w.SeedTask("web", "h3", "t3");
  Plan p = w.Plan();
  REQUIRE(p.services.size() == 1);
  const auto& steps = p.services[0].steps;
  REQUIRE_FALSE(steps.empty());
  for (const auto& step : steps) {
    CHECK(step.max_running == 2);
    CHECK(step.min_healthy == 1);
  }
  CHECK(w.Apply(p) == 0);
  CHECK(PerZone(w) == std::map<std::string, int>{{"a", 1}, {"b", 1}});
}

TEST_CASE("a zone left empty that no host can fill is reported, nothing moves", "[plan][spread]") {
  PlanWorld w;
  Zones(w, /*h2_memory=*/128);  // web needs 256 MiB: zone b cannot take it
  w.SeedTask("web", "h1", "t1");
  w.SeedTask("web", "h3", "t3");
  Plan p = w.Plan();
  CHECK_FALSE(p.HasChanges());
  CHECK(p.warnings == std::vector<std::string>{"service web: spread on attribute:zone: b has no "
                                               "task and no host there can take one"});
}

}  // namespace stowage::plan
