// The applier with a traffic gate: new tasks take traffic once healthy, old
// ones are drained before they stop, and a rollback reverses the order.
#include <algorithm>
#include <catch2/catch.hpp>

#include "apply/applier.h"
#include "apply/traffic_gate.h"
#include "model/labels.h"
#include "runtime/fake/fake_runtime.h"
#include "support/traffic_fixture.h"
#include "traffic/fake/fake_router.h"

namespace stowage::apply {
namespace {

using runtime::ContainerState;
using runtime::fake::StartOutcome;
using Lines = std::vector<std::string>;

constexpr const char* kImage = "stowage/busybox:1";

class Recorder : public Observer {
 public:
  void OnEvent(const ApplyEvent& e) override {
    lines.push_back(std::string(EventTypeName(e.type)) + " " + e.task_id);
  }
  Lines lines;
};

struct Fixture {
  Fixture() {
    desired.cluster.name = "prod";
    for (const char* h : {"a", "b"}) {
      model::Host host;
      host.name = h;
      host.endpoint = "default";
      desired.cluster.hosts.push_back(host);
      factory.Engine(h);
    }
    testing::AddEdgeBalancer(desired);
    model::TaskDefinition td;
    td.family = "web";
    td.revision = "r2";
    model::ContainerDefinition c;
    c.name = "app";
    c.image = kImage;
    c.port_mappings.push_back({8080, 0, "tcp", {}});
    td.containers.push_back(c);
    desired.task_definitions.push_back(td);
    desired.services.push_back(testing::BoundWebService());
    plan.cluster = "prod";
    plan::ServicePlan sp;
    sp.service = "web";
    sp.family = "web";
    sp.revision = "r2";
    sp.desired = 1;
    plan::Deployment d;
    d.from_revision = "r1";
    d.to_revision = "r2";
    d.circuit_breaker = true;
    d.rollback = true;
    d.failure_threshold = 1;
    sp.deployment = d;
    plan.services.push_back(sp);
    options.settle = std::chrono::milliseconds(1000);
    router = routers.Balancer("edge");
    router->AddPool("web");
  }

  // Old task o1 (revision r1) running on host a and taking traffic.
  void AddOld() {
    runtime::ContainerSpec s;
    s.name = labels::ContainerName("web", "app", "o1");
    s.image = kImage;
    s.ports = {{8080, 0, "tcp"}};
    s.labels = {{labels::kCluster, "prod"},  {labels::kHost, "a"},
                {labels::kService, "web"},   {labels::kTask, "o1"},
                {labels::kFamily, "web"},    {labels::kRevision, "r1"},
                {labels::kContainer, "app"}, {labels::kEssential, "true"},
                {labels::kStartOrder, "0"},  {labels::kStopTimeout, "30"}};
    REQUIRE(factory.Engine("a")->AddContainer(s, ContainerState::kRunning).ok());
    traffic::Target t;
    t.name = "web.o1";
    t.address = "127.0.0.1";
    t.port = 30001;
    REQUIRE(router->Register("web", t).ok());
    REQUIRE(router->SetState("web", "web.o1", traffic::TargetState::kReady).ok());
  }

  ApplyResult Run() {
    TrafficGate gate(desired, routers, clock);
    options.traffic = &gate;
    return Apply(plan, desired, factory, options, &recorder, clock);
  }

  // The router calls after the fixture's own (o1's registration).
  Lines Calls() {
    Lines all = router->Calls();
    return Lines(all.begin() + std::min<std::ptrdiff_t>(2, static_cast<std::ptrdiff_t>(all.size())),
                 all.end());
  }

  model::DesiredState desired;
  runtime::fake::FakeRuntimeFactory factory;
  traffic::fake::FakeRouterFactory routers;
  std::shared_ptr<traffic::fake::FakeRouter> router;
  plan::Plan plan;
  ApplyOptions options;
  ManualClock clock;
  Recorder recorder;
};

}  // namespace

TEST_CASE("a rolling deployment registers the new task before it drains the old one",
          "[apply][traffic]") {
  Fixture f;
  f.AddOld();
  f.plan.services[0].steps.push_back(
      {{{plan::ActionType::kStart, "b", "n1", "r2", "revision change", "o1"},
        {plan::ActionType::kStop, "a", "o1", "r1", "revision change", ""}},
       1,
       2});
  auto result = f.Run();
  INFO(result.services[0].message);
  REQUIRE(result.services[0].outcome == Outcome::kConverged);
  auto calls = f.Calls();
  // o1 is released once, before its stop; removing it at the end asks nothing.
  REQUIRE(calls.size() == 4);
  CHECK(calls[0].rfind("register web/web.n1 127.0.0.1:", 0) == 0);
  CHECK(calls[1] == "ready web/web.n1");
  CHECK(calls[2] == "drain web/web.o1");
  CHECK(calls[3] == "deregister web/web.o1");
  // The old task stopped only after its target was gone.
  auto& lines = f.recorder.lines;
  auto at = [&](const std::string& l) {
    return std::find(lines.begin(), lines.end(), l) - lines.begin();
  };
  CHECK(at("task_healthy n1") < at("task_registered n1"));
  CHECK(at("task_registered n1") < at("task_draining o1"));
  CHECK(at("task_draining o1") < at("task_stopped o1"));
}

TEST_CASE("a rollback puts the old tasks back before the new ones leave", "[apply][traffic]") {
  Fixture f;
  f.AddOld();
  // n1 is healthy and takes traffic; n2 fails: the breaker (threshold 1) rolls back.
  f.factory.Engine("b")->SetStartOutcome(kImage, StartOutcome{1, std::nullopt});
  f.desired.services[0].desired_count = 2;
  f.plan.services[0].steps.push_back(
      {{{plan::ActionType::kStart, "a", "n1", "r2", "revision change", "o1"},
        {plan::ActionType::kStop, "a", "o1", "r1", "revision change", ""}},
       1,
       2});
  f.plan.services[0].steps.push_back(
      {{{plan::ActionType::kStart, "b", "n2", "r2", "revision change", ""}}, 1, 2});
  auto result = f.Run();
  INFO(result.services[0].message);
  for (const auto& l : f.recorder.lines) UNSCOPED_INFO(l);
  REQUIRE(result.services[0].outcome == Outcome::kRolledBack);
  auto& lines = f.recorder.lines;
  auto at = [&](const std::string& l) {
    return std::find(lines.begin(), lines.end(), l) - lines.begin();
  };
  // Step 1 moved traffic to n1; the rollback registers o1 again, then drains n1.
  CHECK(at("task_registered n1") < at("task_draining o1"));
  CHECK(at("task_restarted o1") < at("task_draining n1"));
  CHECK(std::count(lines.begin(), lines.end(), "task_registered o1") == 1);
  CHECK(at("task_registered o1") < at("task_draining n1"));
  Lines listed;
  auto pool = f.router->List("web");
  REQUIRE(pool.ok());
  for (const auto& t : *pool) listed.push_back(t.name);
  CHECK(listed == Lines{"web.o1"});
}

}  // namespace stowage::apply
