// Unreachable hosts and the grace period (PlanOptions, plan/host_memory.h).
#include <catch2/catch.hpp>

#include "observe/host_memory.h"
#include "plan/planner.h"
#include "support/plan_world.h"

namespace stowage::plan {
namespace {

using namespace std::chrono_literals;
using testing::ActionLines;
using testing::PlanWorld;

// web (desired 3) with a task on each of h1, h2, h3; the memory saw them all at
// t0, then h3 stopped answering.
struct H3Down {
  PlanWorld w;
  observe::HostMemory memory;
  const PlanOptions::Time t0{};
  H3Down() {
    for (const char* h : {"h1", "h2", "h3"}) w.AddHost(h);
    w.AddTaskDefinition("web");
    w.AddService("web", "web", 3);
    for (const char* h : {"h1", "h2", "h3"}) w.SeedTask("web", h, std::string("t-") + h);
    observe::ObservedState all_up = w.Observe();
    memory.Update(all_up, t0);
    w.Engine("h3").SetUnreachable(true);
  }
  // Observes, carries the memory over, plans at `now`.
  Plan PlanAt(PlanOptions::Time now, PlanOptions options = {}) {
    observe::ObservedState observed = w.Observe();
    memory.Update(observed, now);
    options.down_since = memory.down_since();
    options.now = now;
    return MakePlan(w.desired, observed, options);
  }
};

}  // namespace

TEST_CASE("remembered tasks of a host down within the grace count as running",
          "[plan][unreachable]") {
  H3Down d;
  const auto t0 = d.t0;
  Plan p = d.PlanAt(t0 + 10s);
  CHECK(d.memory.down_since() == std::map<std::string, PlanOptions::Time>{{"h3", t0 + 10s}});
  CHECK_FALSE(p.HasChanges());
  REQUIRE(p.warnings.size() == 1);
  CHECK(p.warnings[0].rfind("host h3 is unreachable (", 0) == 0);
  CHECK(p.warnings[0].ends_with("); its tasks are left as they are"));

  // A shortfall on the reachable hosts is still filled there, and only it.
  d.w.desired.services[0].desired_count = 4;
  Plan more = d.PlanAt(t0 + 20s);
  CHECK(ActionLines(more) == std::vector<std::string>{"web start h1 scale up 3 -> 4"});
  CHECK(more.warnings.size() == 1);
}

TEST_CASE("past the grace a down host's tasks are replaced elsewhere, then scaled in",
          "[plan][unreachable]") {
  H3Down d;
  const auto t0 = d.t0;
  CHECK_FALSE(d.PlanAt(t0 + 60s).HasChanges());  // first seen down at t0 + 60s
  Plan p = d.PlanAt(t0 + 60s + 300s);            // the default grace: 300 s
  CHECK(ActionLines(p) == std::vector<std::string>{"web start h1 host h3 down for more than 5m"});
  CHECK(p.services[0].steps[0].actions[0].replaces == "t-h3");
  CHECK(p.summary.to_replace == 1);
  REQUIRE(p.warnings.size() == 1);
  CHECK(p.warnings[0].rfind("host h3 is unreachable (", 0) == 0);
  CHECK(
      p.warnings[0].ends_with("), down for 5m (grace 5m); its tasks are replaced on other hosts"));
  CHECK(d.w.Apply(p) == 0);

  // h3 answers again: 4 tasks for 3 wanted, the surplus goes the usual way.
  d.w.Engine("h3").SetUnreachable(false);
  Plan back = d.PlanAt(t0 + 400s);
  CHECK(d.memory.down_since().empty());
  CHECK(ActionLines(back) == std::vector<std::string>{"web remove h1 scale in 4 -> 3"});
}

TEST_CASE("the cluster file sets the grace; PlanOptions overrides it", "[plan][unreachable]") {
  H3Down d;
  const auto t0 = d.t0;
  d.w.desired.cluster.unreachable_grace_seconds = 90;
  d.PlanAt(t0);
  CHECK_FALSE(d.PlanAt(t0 + 89s).HasChanges());
  CHECK(ActionLines(d.PlanAt(t0 + 90s)) ==
        std::vector<std::string>{"web start h1 host h3 down for more than 1m30s"});
  CHECK_FALSE(d.PlanAt(t0 + 90s, {.unreachable_grace = 1h}).HasChanges());
}

TEST_CASE("without memory a down host is within the grace unless the grace is 0",
          "[plan][unreachable]") {
  PlanWorld w;
  for (const char* h : {"h1", "h2", "h3"}) w.AddHost(h);
  w.AddTaskDefinition("web");
  w.AddService("web", "web", 3);
  w.SeedTask("web", "h1", "t-h1");
  w.SeedTask("web", "h2", "t-h2");
  w.Engine("h3").SetUnreachable(true);
  // What runs on h3 is unknown: the third task is held (it may run there).
  Plan held = w.Plan();
  CHECK_FALSE(held.HasChanges());
  REQUIRE(held.warnings.size() == 2);
  CHECK(held.warnings[1] ==
        "service web: 1 task is not started while host h3 did not answer (they may run there)");
  // --unreachable-grace 0: h3 counts as empty at once.
  Plan now = w.Plan({.unreachable_grace = 0s});
  CHECK(ActionLines(now) == std::vector<std::string>{"web start h1 scale up 2 -> 3"});
  REQUIRE(now.warnings.size() == 1);
  CHECK(now.warnings[0].ends_with(
      "), down for 0s (grace 0s); its tasks are replaced on other hosts"));
}

TEST_CASE("GraceText", "[plan][unreachable]") {
  CHECK(GraceText(0s) == "0s");
  CHECK(GraceText(45s) == "45s");
  CHECK(GraceText(300s) == "5m");
  CHECK(GraceText(90s) == "1m30s");
  CHECK(GraceText(3725s) == "1h2m5s");
}

}  // namespace stowage::plan
