#include "status/fleet_status.h"

#include <catch2/catch.hpp>

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
