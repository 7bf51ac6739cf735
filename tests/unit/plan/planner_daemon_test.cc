// DAEMON services: one task on every eligible host, kept in step with the cluster file.
#include <catch2/catch.hpp>

#include "plan/planner.h"
#include "support/plan_world.h"

namespace stowage::plan {
namespace {

using testing::ActionLines;
using testing::PlanWorld;

// Hosts h1 (zone a), h2 (zone a), h3 (zone b); an `agent` DAEMON service; a task
// of it already on each host in `seeded`.
void DaemonWorld(PlanWorld& w, const std::vector<std::string>& seeded,
                 const std::string& member_of = "") {
  w.AddHost("h1").attributes["zone"] = "a";
  w.AddHost("h2").attributes["zone"] = "a";
  w.AddHost("h3").attributes["zone"] = "b";
  w.AddTaskDefinition("agent");
  auto& agent = w.AddService("agent", "agent", 0);
  agent.scheduling_strategy = model::SchedulingStrategy::kDaemon;
  if (!member_of.empty()) agent.placement_constraints.push_back({"memberOf", member_of, {}});
  for (const auto& h : seeded) w.SeedTask("agent", h, "t-" + h);
}

}  // namespace

TEST_CASE("DAEMON: a task on a host that no longer passes memberOf is stopped", "[plan][daemon]") {
  // The tasks were placed before the constraint was added.
  PlanWorld w;
  DaemonWorld(w, {"h1", "h2", "h3"}, "attribute:zone == a");
  Plan p = w.Plan();
  CHECK(ActionLines(p) ==
        std::vector<std::string>{
            "agent remove h3 host no longer eligible: memberOf attribute:zone == a"});
  REQUIRE(p.services.size() == 1);
  CHECK(p.services[0].desired == 2);
  CHECK(p.summary.to_stop == 1);
  CHECK(w.Apply(p) == 0);
  CHECK_FALSE(w.Plan().HasChanges());
}

TEST_CASE("DAEMON: a host whose attribute changed loses its task", "[plan][daemon]") {
  PlanWorld w;
  DaemonWorld(w, {"h1", "h2"}, "attribute:zone == a");
  CHECK_FALSE(w.Plan().HasChanges());
  w.desired.cluster.hosts[1].attributes["zone"] = "b";
  Plan p = w.Plan();
  CHECK(ActionLines(p) ==
        std::vector<std::string>{
            "agent remove h2 host no longer eligible: memberOf attribute:zone == a"});
  // And one that now matches gets one.
  w.desired.cluster.hosts[2].attributes["zone"] = "a";
  CHECK(ActionLines(w.Plan()) ==
        std::vector<std::string>{
            "agent remove h2 host no longer eligible: memberOf attribute:zone == a",
            "agent start h3 daemon on h3"});
}

TEST_CASE("DAEMON: a draining host's task is stopped and not replaced there", "[plan][daemon]") {
  PlanWorld w;
  DaemonWorld(w, {"h1", "h2", "h3"});
  w.desired.cluster.hosts[1].state = model::HostState::kDraining;
  Plan p = w.Plan();
  CHECK(ActionLines(p) == std::vector<std::string>{"agent remove h2 host draining"});
  CHECK(p.services[0].desired == 2);
  CHECK(w.Apply(p) == 0);
  CHECK_FALSE(w.Plan().HasChanges());
}

TEST_CASE("DAEMON: a host added to the cluster file gets a task", "[plan][daemon]") {
  PlanWorld w;
  DaemonWorld(w, {"h1", "h2", "h3"});
  CHECK_FALSE(w.Plan().HasChanges());
  w.AddHost("h4");
  Plan p = w.Plan();
  CHECK(ActionLines(p) == std::vector<std::string>{"agent start h4 daemon on h4"});
  CHECK(p.services[0].desired == 4);
  CHECK(p.summary.to_start == 1);
}

}  // namespace stowage::plan
