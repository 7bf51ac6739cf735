// One-shot history: stopped one-shot tasks (migrations, run-task) beyond the
// newest 5 per family and host are removed by an apply, under the lock; those
// still running, and other families' newest 5, stay.
#include "apply/one_shot_history.h"

#include <catch2/catch.hpp>
#include <set>

#include "apply/container_spec.h"
#include "model/labels.h"
#include "pipeline/converge.h"
#include "support/plan_world.h"

namespace stowage::pipeline {
namespace {

using runtime::ContainerState;

runtime::ContainerSummary Container(const std::string& family, const std::string& task,
                                    std::int64_t created, ContainerState state) {
  runtime::ContainerSummary c;
  c.labels = {{labels::kStandalone, "true"}, {labels::kFamily, family}, {labels::kTask, task}};
  c.created = created;
  c.state = state;
  return c;
}

// Puts a one-shot task of `family` on h1 as stowage creates it, created at `second`.
void SeedOneShot(testing::PlanWorld& world, const std::string& family, const std::string& task,
                 std::int64_t second, ContainerState state) {
  world.Engine("h1").SetClock([second] { return second * 1'000'000'000; });
  apply::TaskIdentity id{world.desired.cluster.name, "h1", apply::StandaloneService(family), task,
                         true};
  auto spec =
      apply::BuildTaskSpec(*world.desired.FindTaskDefinition(family), id,
                           [](const std::string&) -> Result<std::string> { return std::string(); });
  REQUIRE(spec.ok());
  for (const auto& c : spec->containers)
    REQUIRE(world.Engine("h1").AddContainer(c.spec, state).ok());
}

std::set<std::string> TasksOn(testing::PlanWorld& world) {
  std::set<std::string> out;
  for (const auto& c : world.Engine("h1").Containers()) {
    out.insert(c.spec.labels.at(labels::kTask));
  }
  return out;
}

}  // namespace

TEST_CASE("one-shot history: the stopped tasks beyond the newest N per family, oldest first",
          "[apply][one-shot]") {
  std::vector<runtime::ContainerSummary> listed;
  for (int i = 1; i <= 7; ++i) {
    listed.push_back(
        Container("migrate", "m" + std::to_string(i), 100 + i, ContainerState::kExited));
  }
  // A task with one container still running is neither stopped nor counted.
  listed.push_back(Container("migrate", "m9", 200, ContainerState::kExited));
  listed.push_back(Container("migrate", "m9", 201, ContainerState::kRunning));
  listed.push_back(Container("seed", "s1", 50, ContainerState::kDead));
  listed.push_back(Container("seed", "s2", 60, ContainerState::kExited));
  CHECK(apply::OneShotsToRemove(listed, 5) == std::vector<std::string>{"m1", "m2"});
  CHECK(apply::OneShotsToRemove(listed, 1) ==
        std::vector<std::string>{"m1", "m2", "m3", "m4", "m5", "m6", "s1"});
  CHECK(apply::OneShotsToRemove(listed, 7).empty());
}

TEST_CASE("an apply keeps the newest 5 stopped one-shot tasks per family and host",
          "[apply][one-shot][pipeline]") {
  testing::PlanWorld world;
  world.AddHost("h1");
  world.AddTaskDefinition("migrate");
  world.AddTaskDefinition("seed");
  for (int i = 1; i <= 7; ++i) {
    SeedOneShot(world, "migrate", "m" + std::to_string(i), 1000 + i, ContainerState::kExited);
  }
  SeedOneShot(world, "migrate", "m9", 900, ContainerState::kRunning);  // oldest, still running
  SeedOneShot(world, "seed", "s1", 800, ContainerState::kExited);

  ConvergeResult out = ConvergeLocked(world.desired, world.factory(), ConvergeOptions{});
  CHECK(out.status.ok());
  CHECK(out.one_shots.removed == 2);
  CHECK(out.one_shots.errors.empty());
  CHECK(TasksOn(world) == std::set<std::string>{"m3", "m4", "m5", "m6", "m7", "m9", "s1"});

  // At the limit nothing more goes.
  CHECK(ConvergeLocked(world.desired, world.factory(), ConvergeOptions{}).one_shots.removed == 0);
  CHECK(TasksOn(world).size() == 7);

  // A removal that fails is reported, and fails nothing.
  SeedOneShot(world, "migrate", "m8", 1008, ContainerState::kExited);
  world.Engine("h1").FailNext(runtime::fake::Method::kRemove, 1, Status::Engine("busy"));
  ConvergeResult failed = ConvergeLocked(world.desired, world.factory(), ConvergeOptions{});
  CHECK(failed.ExitCode() == 0);
  CHECK(failed.one_shots.removed == 0);
  CHECK(failed.one_shots.errors == std::vector<std::string>{"host h1: task m3: busy"});
}

}  // namespace stowage::pipeline
