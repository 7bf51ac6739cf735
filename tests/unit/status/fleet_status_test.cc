#include "status/fleet_status.h"

#include <catch2/catch.hpp>

#include "model/labels.h"
#include "observe/snapshot.h"
#include "render/status.h"
#include "runtime/fake/fake_runtime.h"
#include "support/task_container.h"

namespace stowage::status {
namespace {

using testing::WebTaskContainer;

model::DesiredState Desired(const std::string& revision,
                            const std::vector<std::string>& hosts = {"a"}, int count = 2) {
  return testing::WebDesired(revision, hosts, count);
}

observe::ObservedState Observe(const model::DesiredState& desired,
                               runtime::fake::FakeRuntimeFactory& factory) {
  return observe::ObserveFleet(desired, factory);
}

// An old task of web as an apply leaves it: renamed with its deadline, its
// stop handed to the engine (which ignores SIGTERM until FinishStops).
void RetireOldTask(runtime::fake::FakeEngine& engine, const std::string& task,
                   std::int64_t deadline) {
  auto id = engine.AddContainer(WebTaskContainer("a", task, "0ld0ld0ld0ld"));
  REQUIRE(id.ok());
  REQUIRE(
      engine.Rename(*id, labels::RetiredName(labels::ContainerName("web", "app", task), deadline))
          .ok());
  REQUIRE(engine.BeginStop(*id, std::chrono::seconds(30), std::chrono::milliseconds(0)).ok());
}

}  // namespace

TEST_CASE("after a rollback the status shows the revision that runs, not the failed target",
          "[status]") {
  runtime::fake::FakeRuntimeFactory factory;
  REQUIRE(factory.Engine("a")->AddContainer(WebTaskContainer("a", "t1", "0ld0ld0ld0ld")).ok());
  REQUIRE(factory.Engine("a")->AddContainer(WebTaskContainer("a", "t2", "0ld0ld0ld0ld")).ok());
  const auto desired = Desired("ba5ba5ba5ba5");  // the target that failed and was rolled back
  FleetStatus fleet = BuildStatus(desired, Observe(desired, factory));
  REQUIRE(fleet.services.size() == 1);
  const ServiceStatus& s = fleet.services[0];
  CHECK(s.in_source);
  CHECK(s.revision == "ba5ba5ba5ba5");
  CHECK(s.running_revisions == std::vector<std::string>{"0ld0ld0ld0ld"});
  CHECK(s.deployment == "failed");
  CHECK(render::StatusText(fleet).find("web      0ld0ld0l  2        2        2        0        "
                                       "failed\n") != std::string::npos);
  CHECK(render::StatusJson(fleet)["services"][0]["runningRevisions"][0] == "0ld0ld0ld0ld");
}

TEST_CASE("a deployment in progress shows both revisions, the most common first", "[status]") {
  runtime::fake::FakeRuntimeFactory factory;
  REQUIRE(factory.Engine("a")->AddContainer(WebTaskContainer("a", "t1", "0ld0ld0ld0ld")).ok());
  REQUIRE(factory.Engine("a")->AddContainer(WebTaskContainer("a", "t2", "new1new1new1")).ok());
  REQUIRE(factory.Engine("a")->AddContainer(WebTaskContainer("a", "t3", "new1new1new1")).ok());
  const auto desired = Desired("new1new1new1");
  FleetStatus fleet = BuildStatus(desired, Observe(desired, factory));
  CHECK(fleet.services[0].running_revisions ==
        std::vector<std::string>{"new1new1new1", "0ld0ld0ld0ld"});
  CHECK(render::StatusText(fleet).find(" new1new1,0ld0ld0l ") != std::string::npos);
}

TEST_CASE("with an invalid source the status shows what runs and says the source is invalid",
          "[status]") {
  runtime::fake::FakeRuntimeFactory factory;
  REQUIRE(factory.Engine("a")->AddContainer(WebTaskContainer("a", "t1", "0ld0ld0ld0ld")).ok());
  model::DesiredState cluster_only;
  cluster_only.cluster = Desired("x").cluster;
  FleetStatus fleet = BuildStatus(cluster_only, Observe(cluster_only, factory));
  fleet.source_error = "The source is invalid (1 error): showing what runs.";
  REQUIRE(fleet.services.size() == 1);
  CHECK_FALSE(fleet.services[0].in_source);
  CHECK(fleet.services[0].running == 1);
  CHECK(fleet.services[0].deployment == "not in source");
  const std::string text = render::StatusText(fleet);
  CHECK(text.rfind("Cluster prod\nThe source is invalid (1 error): showing what runs.\n\n", 0) ==
        0);
  CHECK(text.find("web      0ld0ld0l  -        1        1        0        not in source\n") !=
        std::string::npos);
  CHECK(render::StatusJson(fleet)["sourceError"] ==
        "The source is invalid (1 error): showing what runs.");
}

TEST_CASE("old tasks still stopping show per service with their deadline, then as exited",
          "[status]") {
  runtime::fake::FakeRuntimeFactory factory;
  auto& engine = *factory.Engine("a");
  engine.SetIgnoresTerm(true);
  REQUIRE(engine.AddContainer(WebTaskContainer("a", "n1", "new1new1new1")).ok());
  REQUIRE(engine.AddContainer(WebTaskContainer("a", "n2", "new1new1new1")).ok());
  RetireOldTask(engine, "o1", 1796000000);
  RetireOldTask(engine, "o2", 1796000030);
  const auto desired = Desired("new1new1new1");

  FleetStatus fleet = BuildStatus(desired, Observe(desired, factory));
  REQUIRE(fleet.services.size() == 1);
  const ServiceStatus& s = fleet.services[0];
  CHECK(s.running == 2);  // an old task is no task
  CHECK(s.deployment == "completed");
  CHECK(s.stopping == 2);
  CHECK(s.stopping_deadline == 1796000030);  // the later one
  CHECK(s.retired_exited == 0);
  REQUIRE(fleet.hosts[0].retired.size() == 2);
  CHECK(fleet.hosts[0].retired[0].task_id == "o1");
  CHECK(fleet.hosts[0].retired[0].running);
  CHECK(fleet.hosts[0].retired[0].deadline == 1796000000);
  std::string text = render::StatusText(fleet);
  CHECK(text.find("completed\nweb: 2 old tasks stopping (killed by 2026-11-30 00:53:50 UTC)\n") !=
        std::string::npos);
  CHECK(text.find("  web/o1  -         stopping  old task, killed by 2026-11-30 00:53:20 UTC\n") !=
        std::string::npos);
  auto j = render::StatusJson(fleet);
  CHECK(j["services"][0]["stopping"] == 2);
  CHECK(j["services"][0]["stoppingDeadline"] == 1796000030);
  CHECK(j["hosts"][0]["retired"][1].dump() ==
        R"({"service":"web","task":"o2","running":true,"deadline":1796000030})");

  // The engine's stop timeout runs out: the old tasks wait for the next apply.
  CHECK(engine.FinishStops() == 2);
  fleet = BuildStatus(desired, Observe(desired, factory));
  CHECK(fleet.services[0].stopping == 0);
  CHECK(fleet.services[0].stopping_deadline == 0);
  CHECK(fleet.services[0].retired_exited == 2);
  text = render::StatusText(fleet);
  CHECK(text.find("\nweb: 2 old tasks exited (removed by the next apply)\n") != std::string::npos);
  CHECK(text.find("  web/o2  -         exited   old task, removed by the next apply\n") !=
        std::string::npos);
  CHECK(render::StatusJson(fleet)["services"][0]["retiredExited"] == 2);
}

TEST_CASE("a host with old tasks alone lists them; one stopping and one exited share a line",
          "[status]") {
  runtime::fake::FakeRuntimeFactory factory;
  auto& engine = *factory.Engine("a");
  RetireOldTask(engine, "o1", 1796000000);  // honours SIGTERM: exited at once
  engine.SetIgnoresTerm(true);
  RetireOldTask(engine, "o2", 1796000000);
  const auto desired = Desired("new1new1new1");
  FleetStatus fleet = BuildStatus(desired, Observe(desired, factory));
  const std::string text = render::StatusText(fleet);
  CHECK(text.find("web: 1 old task stopping (killed by 2026-11-30 00:53:20 UTC), 1 exited "
                  "(removed by the next apply)\n") != std::string::npos);
  CHECK(text.find("a: no tasks") == std::string::npos);
  CHECK(text.find("\na:\n  web/o1  -  exited    old task, removed by the next apply\n") !=
        std::string::npos);
}

TEST_CASE("running and healthy have one definition", "[status]") {
  observe::ObservedTask t;
  t.active = true;
  t.status = observe::TaskStatus::kRunning;
  observe::ObservedContainer c;
  t.containers.push_back(c);
  CHECK(CountsRunning(t));
  CHECK(CountsHealthy(t));  // no health check: running is healthy
  t.containers[0].health = runtime::Health::kStarting;
  CHECK_FALSE(CountsHealthy(t));
  t.status = observe::TaskStatus::kUnhealthy;
  CHECK(CountsRunning(t));
  CHECK_FALSE(CountsHealthy(t));
  t.status = observe::TaskStatus::kHealthy;
  CHECK(CountsHealthy(t));
  t.status = observe::TaskStatus::kPending;
  CHECK_FALSE(CountsRunning(t));
  t.status = observe::TaskStatus::kExited;
  t.active = false;
  CHECK_FALSE(CountsRunning(t));
}

}  // namespace stowage::status
