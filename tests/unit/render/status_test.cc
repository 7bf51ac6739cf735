#include "render/status.h"

#include <catch2/catch.hpp>

#include "observe/snapshot.h"
#include "runtime/fake/fake_runtime.h"
#include "support/task_container.h"

namespace stowage::render {

using testing::WebTaskContainer;

TEST_CASE("status counts tasks per service and lists them per host", "[render][status]") {
  model::DesiredState desired = testing::WebDesired("r2", {"a", "b"}, 3);
  desired.cluster.hosts[0].reserved = {256, 512};
  desired.cluster.hosts[1].state = model::HostState::kDraining;

  runtime::fake::FakeRuntimeFactory factory;
  REQUIRE(factory.Engine("a")->AddContainer(WebTaskContainer("a", "t1", "r2")).ok());
  REQUIRE(factory.Engine("a")->AddContainer(WebTaskContainer("a", "t2", "r1")).ok());
  REQUIRE(factory.Engine("b")
              ->AddContainer(WebTaskContainer("b", "t3", "r2"), runtime::ContainerState::kCreated)
              .ok());
  auto snapshot = observe::TakeSnapshot(desired.cluster, factory);
  auto observed =
      observe::BuildObservedState(desired.cluster, snapshot, observe::LookupIn(desired));
  auto fleet = status::BuildStatus(desired, observed);
  REQUIRE(fleet.services.size() == 1);
  const auto& s = fleet.services[0];
  CHECK(s.revision == "r2");
  CHECK(s.desired == 3);
  CHECK(s.running == 2);
  CHECK(s.healthy == 2);
  CHECK(s.pending == 1);
  CHECK(s.deployment == "in progress");
  REQUIRE(fleet.hosts.size() == 2);
  REQUIRE(fleet.hosts[0].tasks.size() == 2);
  CHECK(fleet.hosts[0].tasks[0].task_id == "t1");
  CHECK(StatusJson(fleet)["services"][0]["deployment"] == "in progress");
  CHECK(StatusText(fleet).find("  web/t3  r2  pending\n") != std::string::npos);
  // Per host: its state and resources (the whole host: reserved counted in).
  const auto hosts = StatusJson(fleet)["hosts"];
  CHECK(hosts[0]["state"] == "active");
  CHECK(hosts[1]["state"] == "draining");
  CHECK(hosts[0]["reserved"] == nlohmann::ordered_json{{"cpu", 256}, {"memory", 512}});
  REQUIRE(observed.hosts[0].capacity.cpu > 0);
  CHECK(hosts[0]["capacity"]["cpu"] == observed.hosts[0].capacity.cpu + 256);
  CHECK(hosts[0]["capacity"]["memory"] == observed.hosts[0].capacity.memory + 512);
  CHECK(hosts[0]["used"]["cpu"] == observed.hosts[0].used.cpu);
}

TEST_CASE("status text aligns each host's tasks in columns", "[render][status]") {
  status::FleetStatus f;
  f.cluster = "demo";
  status::HostStatus h1;
  h1.host = "host-1";
  h1.reachable = true;
  h1.tasks = {{"log-shipper", "3fd455632fee", "60bebbe8aa4b", "running", {}, {}},
              {"web",
               "38d48551544d",
               "ab5a398d29a0",
               "healthy",
               {"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
               {}}};
  status::HostStatus h2;
  h2.host = "host-2";
  h2.reachable = false;
  h2.error = "connection refused";
  status::HostStatus h3;
  h3.host = "host-3";
  h3.reachable = true;
  f.hosts = {h1, h2, h3};
  CHECK(StatusText(f) ==
        "Cluster demo\n\n"
        "SERVICE  REVISION  DESIRED  RUNNING  HEALTHY  PENDING  DEPLOYMENT\n"
        "\n"
        "host-1:\n"
        "  log-shipper/3fd455632fee  60bebbe8  running\n"
        "  web/38d48551544d          ab5a398d  healthy  sha256:0123456789ab\n"
        "\n"
        "host-2: unreachable: connection refused\n"
        "\n"
        "host-3: no tasks\n");
}

TEST_CASE("status text escapes names and errors from engine labels", "[render][status]") {
  // A service left on a host (not in the source) is named by its engine's
  // labels; neither it nor an engine's error may colour the terminal or
  // forge a line.
  status::FleetStatus f;
  f.cluster = "demo";
  status::ServiceStatus s;
  s.service = "evil\x1b[31m\nweb";
  s.retired_exited = 1;
  f.services = {s};
  status::HostStatus h1;
  h1.host = "host-1";
  h1.reachable = true;
  h1.retired = {{"evil\x1b[31m\nweb", "t\r1", false, 0}};
  status::HostStatus h2;
  h2.host = "host-2";
  h2.reachable = false;
  h2.error = "refused\n\x1b[2J";
  f.hosts = {h1, h2};
  const std::string text = StatusText(f);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find("\nevil\\x1b[31m\\nweb  -") != std::string::npos);
  CHECK(text.find("evil\\x1b[31m\\nweb: 1 old task exited (removed by the next apply)\n") !=
        std::string::npos);
  CHECK(
      text.find("  evil\\x1b[31m\\nweb/t\\r1  -  exited  old task, removed by the next apply\n") !=
      std::string::npos);
  CHECK(text.find("host-2: unreachable: refused\\n\\x1b[2J\n") != std::string::npos);
}

}  // namespace stowage::render
