#include <catch2/catch.hpp>

#include "render/status.h"
#include "status/fleet_status.h"
#include "support/traffic_fixture.h"

namespace stowage::render {

TEST_CASE("status shows each task's targets and each target group's healthy count",
          "[render][status][traffic]") {
  model::DesiredState desired;
  desired.cluster.name = "prod";
  model::Host a;
  a.name = "a";
  a.endpoint = "tcp://10.0.0.7:2376";
  desired.cluster.hosts.push_back(a);
  testing::AddEdgeBalancer(desired);
  desired.services.push_back(testing::BoundWebService());

  observe::ObservedState observed;
  observed.cluster = "prod";
  observe::ObservedHost host;
  host.name = "a";
  host.reachable = true;
  for (const char* id : {"t1", "t2"}) {
    observe::ObservedTask t;
    t.id = id;
    t.service = "web";
    t.host = "a";
    t.revision = "r1";
    t.status = observe::TaskStatus::kRunning;
    t.active = true;
    observe::ObservedContainer c;
    c.name = "app";
    c.state = runtime::ContainerState::kRunning;
    c.ports = {{8080, id == std::string("t1") ? 32768 : 32769, "tcp"}};
    t.containers.push_back(c);
    host.tasks.push_back(observed.tasks.size());
    observed.tasks.push_back(t);
  }
  observed.hosts.push_back(host);
  traffic::Target t1;
  t1.name = "web.t1";
  t1.address = "10.0.0.7";
  t1.port = 32768;
  t1.state = traffic::TargetState::kReady;
  t1.checked = true;
  t1.health = traffic::TargetHealth::kUp;
  targets::TargetListing listed;
  listed.emplace("web-tg", std::vector<traffic::Target>{t1});

  auto fleet = status::BuildStatus(desired, observed, &listed);
  REQUIRE(fleet.target_groups.size() == 1);
  CHECK(fleet.target_groups[0].healthy == 1);
  CHECK(fleet.target_groups[0].targets == 1);
  const std::string text = StatusText(fleet);
  CHECK(text.find("  web/t1  r1  running  web-tg 10.0.0.7:32768 ready\n") != std::string::npos);
  CHECK(text.find("  web/t2  r1  running  web-tg 10.0.0.7:32769 absent\n") != std::string::npos);
  CHECK(text.find("web-tg        edge      web      1        1") != std::string::npos);
  auto j = StatusJson(fleet);
  CHECK(
      j["hosts"][0]["tasks"][0]["targets"][0].dump() ==
      R"({"targetGroup":"web-tg","address":"10.0.0.7","port":32768,"state":"ready","health":"up"})");
  CHECK(
      j["targetGroups"][0].dump() ==
      R"({"targetGroup":"web-tg","loadBalancer":"edge","backend":"web","reachable":true,"targets":1,"healthy":1})");

  listed.erase("web-tg");
  listed.emplace("web-tg",
                 Status::Unreachable("HAProxy Runtime API unix:///x: No such file or directory"));
  auto down = status::BuildStatus(desired, observed, &listed);
  CHECK_FALSE(down.target_groups[0].reachable);
  CHECK(StatusText(down).find("unreachable: HAProxy Runtime API unix:///x") != std::string::npos);
}

}  // namespace stowage::render
