#include "apply/traffic_gate.h"

#include <catch2/catch.hpp>

#include "model/labels.h"
#include "support/traffic_fixture.h"
#include "traffic/fake/fake_router.h"

namespace stowage::apply {
namespace {

using traffic::TargetHealth;
using traffic::TargetState;
using Lines = std::vector<std::string>;

struct Fixture {
  Fixture() {
    desired.cluster.name = "prod";
    model::Host a;
    a.name = "a";
    a.endpoint = "default";
    a.address = "10.0.0.1";
    desired.cluster.hosts.push_back(a);
    testing::AddEdgeBalancer(desired);
    desired.services.push_back(testing::BoundWebService());
    router = routers.Balancer("edge");
    router->AddPool("web");
  }

  // The containers of task `id` as the engine lists them: app publishes 8080 on `port`.
  static std::vector<runtime::ContainerSummary> Task(int port) {
    runtime::ContainerSummary c;
    c.state = runtime::ContainerState::kRunning;
    c.labels = {{labels::kContainer, "app"}};
    c.ports = {{8080, port, "tcp"}};
    return {c};
  }

  Lines Listed() {
    Lines out;
    auto pool = router->List("web");
    REQUIRE(pool.ok());
    for (const auto& t : *pool) {
      out.push_back(t.name + " " + t.address + ":" + std::to_string(t.port) + " " +
                    traffic::TargetStateName(t.state));
    }
    return out;
  }

  model::DesiredState desired;
  traffic::fake::FakeRouterFactory routers;
  std::shared_ptr<traffic::fake::FakeRouter> router;
  ManualClock clock;
};

}  // namespace

TEST_CASE("a healthy task is registered drained, checked, then set ready", "[traffic]") {
  Fixture f;
  TrafficGate gate(f.desired, f.routers, f.clock);
  CHECK(gate.Bound("web"));
  CHECK_FALSE(gate.Bound("worker"));
  REQUIRE(gate.Admit("web", "a", "t1", Fixture::Task(32768)).ok());
  CHECK(f.router->Calls() == Lines{"register web/web.t1 10.0.0.1:32768", "ready web/web.t1"});
  CHECK(f.Listed() == Lines{"web.t1 10.0.0.1:32768 ready"});
}

TEST_CASE("a target the balancer's check never passes fails the task", "[traffic]") {
  Fixture f;
  f.router->SetRegisterHealth(TargetHealth::kDown);
  TrafficGate gate(f.desired, f.routers, f.clock,
                   {std::chrono::milliseconds(200), std::chrono::seconds(5)});
  auto st = gate.Admit("web", "a", "t1", Fixture::Task(32768));
  CHECK(st.code() == Status::Code::kTimeout);
  CHECK(st.message() ==
        "target web.t1 of web-tg did not pass the balancer's check within 5s (down)");
  CHECK(f.Listed() == Lines{"web.t1 10.0.0.1:32768 drain"});  // never took traffic
}

TEST_CASE("a task without the bound port published cannot take traffic", "[traffic]") {
  Fixture f;
  TrafficGate gate(f.desired, f.routers, f.clock);
  auto task = Fixture::Task(0);  // not bound (yet)
  CHECK(gate.Admit("web", "a", "t1", task).message() ==
        "task t1 publishes no host port for app:8080/tcp");
  CHECK(f.router->Calls().empty());
}

TEST_CASE("a healthCheckPath must answer before the target is ready", "[traffic]") {
  Fixture f;
  f.desired.cluster.load_balancers[0].target_groups[0].health_check_path = "/health";
  int probes = 0;
  TrafficGate gate(f.desired, f.routers, f.clock, {},
                   [&](const std::string& address, int port, const std::string& path) {
                     CHECK(address == "10.0.0.1");
                     CHECK(port == 32768);
                     CHECK(path == "/health");
                     return ++probes < 3 ? Status::Unreachable("503") : Status::Ok();
                   });
  REQUIRE(gate.Admit("web", "a", "t1", Fixture::Task(32768)).ok());
  CHECK(probes == 3);
  CHECK(f.Listed() == Lines{"web.t1 10.0.0.1:32768 ready"});
}

TEST_CASE("release drains until no connection is left, then deregisters", "[traffic]") {
  Fixture f;
  TrafficGate gate(f.desired, f.routers, f.clock);
  REQUIRE(gate.Admit("web", "a", "t1", Fixture::Task(32768)).ok());
  int drained = 0;
  const auto t0 = f.clock.Now();
  REQUIRE(gate.Release("web", "t1", false, [&] { ++drained; }).ok());
  CHECK(drained == 1);
  // Two polls without connections, 200 ms apart: well within the 2 s delay.
  CHECK(f.clock.Now() - t0 == std::chrono::milliseconds(200));
  CHECK(f.router->Calls() == Lines{"register web/web.t1 10.0.0.1:32768", "ready web/web.t1",
                                   "drain web/web.t1", "deregister web/web.t1"});
  CHECK(f.Listed().empty());
  // A task that is not a target (any more) is released at once, without a drain.
  drained = 0;
  REQUIRE(gate.Release("web", "t1", false, [&] { ++drained; }).ok());
  CHECK(drained == 0);
}

TEST_CASE("a target with connections is kept for the deregistration delay", "[traffic]") {
  Fixture f;
  TrafficGate gate(f.desired, f.routers, f.clock);
  REQUIRE(gate.Admit("web", "a", "t1", Fixture::Task(32768)).ok());
  f.router->SetConnections("web", "web.t1", 3);
  const auto t0 = f.clock.Now();
  REQUIRE(gate.Release("web", "t1").ok());
  CHECK(f.clock.Now() - t0 == std::chrono::seconds(2));
  CHECK(f.Listed().empty());
  // A dead task's target goes at once.
  REQUIRE(gate.Admit("web", "a", "t2", Fixture::Task(32769)).ok());
  f.router->SetConnections("web", "web.t2", 3);
  const auto t1 = f.clock.Now();
  REQUIRE(gate.Release("web", "t2", true).ok());
  CHECK(f.clock.Now() == t1);
  CHECK(f.Listed().empty());
}

TEST_CASE("listing: a balancer that does not answer is asked once for all its groups",
          "[traffic]") {
  Fixture f;
  model::TargetGroup api;
  api.name = "api-tg";
  api.backend = "api";
  f.desired.cluster.load_balancers[0].target_groups.push_back(api);
  f.router->AddPool("api");
  TrafficGate gate(f.desired, f.routers, f.clock);
  // Unreachable (or timed out) on its first group: the second is not asked.
  f.router->FailNext(Status::Unreachable("HAProxy Runtime API tcp://10.0.0.9:9999: refused"));
  auto listing = gate.ListAll();
  REQUIRE(listing.size() == 2);
  CHECK(listing.at("web-tg").status().message() ==
        "HAProxy Runtime API tcp://10.0.0.9:9999: refused");
  CHECK(listing.at("api-tg").status().message() ==
        "HAProxy Runtime API tcp://10.0.0.9:9999: refused");
  // An error of one group alone (its backend is missing) leaves the others asked.
  f.router->FailNext(Status::NotFound("no pool \"web\""));
  listing = gate.ListAll();
  CHECK(listing.at("web-tg").status().message() == "no pool \"web\"");
  CHECK(listing.at("api-tg").ok());
  listing = gate.ListAll();
  CHECK(listing.at("web-tg").ok());
  CHECK(listing.at("api-tg").ok());
}

TEST_CASE("sync registers running tasks and removes what nobody asked for", "[traffic]") {
  Fixture f;
  observe::ObservedState observed;
  observe::ObservedHost host;
  host.name = "a";
  host.reachable = true;
  observed.hosts.push_back(host);
  for (const char* id : {"t1", "t2"}) {
    observe::ObservedTask task;
    task.id = id;
    task.service = "web";
    task.host = "a";
    task.status =
        id == std::string("t1") ? observe::TaskStatus::kHealthy : observe::TaskStatus::kExited;
    observe::ObservedContainer c;
    c.name = "app";
    c.state = id == std::string("t1") ? runtime::ContainerState::kRunning
                                      : runtime::ContainerState::kExited;
    c.ports = {{8080, 32768, "tcp"}};
    task.containers.push_back(c);
    observed.tasks.push_back(task);
  }
  traffic::Target by_hand;
  by_hand.name = "manual";
  by_hand.address = "10.9.9.9";
  by_hand.port = 80;
  REQUIRE(f.router->Register("web", by_hand).ok());
  traffic::Target dead = by_hand;
  dead.name = "web.t2";
  REQUIRE(f.router->Register("web", dead).ok());

  TrafficGate gate(f.desired, f.routers, f.clock);
  auto report = gate.Sync(observed);
  CHECK(report.errors.empty());
  Lines applied;
  for (const auto& c : report.applied) {
    applied.push_back(std::string(targets::TargetChangeName(c.kind)) + " " + c.name + " (" +
                      c.reason + ")");
  }
  CHECK(applied == Lines{"register web.t1 (new task)", "deregister manual (not added by stowage)",
                         "deregister web.t2 (not a running task)"});
  CHECK(f.Listed() == Lines{"web.t1 10.0.0.1:32768 ready"});

  // Set to maintenance by hand, deleted by hand: both healed.
  REQUIRE(f.router->SetState("web", "web.t1", TargetState::kMaint).ok());
  CHECK(gate.Sync(observed).applied.size() == 1);
  CHECK(f.Listed() == Lines{"web.t1 10.0.0.1:32768 ready"});
  REQUIRE(f.router->Drop("web", "web.t1"));
  CHECK(gate.Sync(observed).applied.size() == 1);
  CHECK(f.Listed() == Lines{"web.t1 10.0.0.1:32768 ready"});
  CHECK(gate.Sync(observed).applied.empty());  // converged

  // While a host does not answer, targets of tasks nobody sees are left alone.
  observe::ObservedHost down;
  down.name = "b";
  observed.hosts.push_back(down);
  traffic::Target elsewhere = by_hand;
  elsewhere.name = "web.t9";
  REQUIRE(f.router->Register("web", elsewhere).ok());
  CHECK(gate.Sync(observed).applied.empty());
}

}  // namespace stowage::apply
