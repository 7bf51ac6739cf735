// Drift an operator can cause on a running container: docker update, docker rename.
#include <catch2/catch.hpp>

#include "observe/snapshot.h"
#include "plan/planner.h"
#include "support/plan_world.h"

namespace stowage::plan {
namespace {

using testing::ActionLines;
using testing::PlanWorld;

// web (desired 3, cpu 256, memory 256) with a task on each of h1, h2, h3.
void Running(PlanWorld& w) {
  for (const char* h : {"h1", "h2", "h3"}) w.AddHost(h);
  w.AddTaskDefinition("web");
  w.AddService("web", "web", 3);
  for (const char* h : {"h1", "h2", "h3"}) w.SeedTask("web", h, std::string("t-") + h);
}

// The plan when h2's container has `config` instead of what stowage set.
std::vector<std::string> UpdatedOnH2(const runtime::UpdatableConfig& config) {
  PlanWorld w;
  Running(w);
  REQUIRE(w.Engine("h2").UpdateConfig("web.app.t-h2", config).ok());
  Plan p = w.Plan();
  CHECK(p.summary.to_replace == 1);
  CHECK(w.Apply(p) == 0);
  CHECK_FALSE(w.Plan().HasChanges());
  return ActionLines(p);
}

constexpr std::int64_t kMiB = 1024 * 1024;

}  // namespace

TEST_CASE("a task as stowage made it is no drift", "[plan][drift]") {
  PlanWorld w;
  Running(w);
  observe::ObservedState observed = w.Observe();
  REQUIRE(observed.tasks.size() == 3);
  REQUIRE(observed.tasks[0].containers[0].config.has_value());
  CHECK(*observed.tasks[0].containers[0].config ==
        runtime::UpdatableConfig{256, 256 * kMiB, 0, "no"});
  CHECK_FALSE(w.Plan().HasChanges());
}

TEST_CASE("docker update of the memory limit is drift", "[plan][drift]") {
  CHECK(UpdatedOnH2({256, 128 * kMiB, 0, "no"}) ==
        std::vector<std::string>{"web start h2 drift: app memory 128 MiB (defined 256 MiB)",
                                 "web remove h2 drift: app memory 128 MiB (defined 256 MiB)"});
}

TEST_CASE("docker update of the memory reservation is drift", "[plan][drift]") {
  CHECK(UpdatedOnH2({256, 256 * kMiB, 64 * kMiB, "no"}) ==
        std::vector<std::string>{
            "web start h2 drift: app memory reservation 64 MiB (defined none)",
            "web remove h2 drift: app memory reservation 64 MiB (defined none)"});
}

TEST_CASE("docker update of the cpu shares is drift", "[plan][drift]") {
  CHECK(UpdatedOnH2({512, 256 * kMiB, 0, "no"}) ==
        std::vector<std::string>{"web start h2 drift: app cpu shares 512 (defined 256)",
                                 "web remove h2 drift: app cpu shares 512 (defined 256)"});
}

TEST_CASE("docker update of the restart policy is drift", "[plan][drift]") {
  CHECK(UpdatedOnH2({256, 256 * kMiB, 0, "always"}) ==
        std::vector<std::string>{"web start h2 drift: app restart policy always (defined no)",
                                 "web remove h2 drift: app restart policy always (defined no)"});
}

TEST_CASE("docker rename is drift", "[plan][drift]") {
  PlanWorld w;
  Running(w);
  REQUIRE(w.Engine("h2").Rename("web.app.t-h2", "mine").ok());
  Plan p = w.Plan();
  CHECK(ActionLines(p) ==
        std::vector<std::string>{"web start h2 drift: app renamed to mine (want web.app.t-h2)",
                                 "web remove h2 drift: app renamed to mine (want web.app.t-h2)"});
  CHECK(w.Apply(p) == 0);
  CHECK_FALSE(w.Plan().HasChanges());
}

TEST_CASE("without inspection docker update goes unseen", "[plan][drift]") {
  PlanWorld w;
  Running(w);
  REQUIRE(w.Engine("h2").UpdateConfig("web.app.t-h2", {256, 128 * kMiB, 0, "no"}).ok());
  observe::Snapshot snapshot = observe::TakeSnapshot(w.desired.cluster, w.factory());
  CHECK(snapshot.hosts[1].configs.empty());
  observe::ObservedState observed =
      observe::BuildObservedState(w.desired.cluster, snapshot, observe::LookupIn(w.desired));
  CHECK_FALSE(observed.tasks[1].containers[0].config.has_value());
  CHECK_FALSE(MakePlan(w.desired, observed, {}).HasChanges());
}

}  // namespace stowage::plan
