// Apply in dependency order (dependsOn): services wait for their gates, a
// one-shot task runs first and gates SUCCESS, a failed dependency keeps its
// dependents on their old tasks, and the exit status says why.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "apply/applier.h"
#include "model/labels.h"
#include "plan/order.h"
#include "runtime/fake/fake_runtime.h"

namespace stowage::apply {
namespace {

using model::ServiceCondition;
using runtime::ContainerState;
using runtime::fake::FakeRuntimeFactory;
using runtime::fake::StartOutcome;

class Recorder : public Observer {
 public:
  void OnEvent(const ApplyEvent& e) override {
    lines.push_back(std::string(EventTypeName(e.type)) + " " + e.service +
                    (e.message.empty() ? "" : " " + e.message));
  }
  // Index of the first line starting with `prefix` (lines.size() when none).
  std::size_t Index(const std::string& prefix) const {
    auto it = std::find_if(lines.begin(), lines.end(),
                           [&](const auto& l) { return l.rfind(prefix, 0) == 0; });
    return static_cast<std::size_t>(it - lines.begin());
  }
  std::vector<std::string> lines;
};

std::string Image(const std::string& family) { return "stowage/" + family + ":1"; }

model::ServiceDependency On(const std::string& target, ServiceCondition c, bool task = false) {
  model::ServiceDependency d;
  (task ? d.task_family : d.service) = target;
  d.condition = c;
  return d;
}

// One host "a"; families db, api, web, migrate (one container "app" each,
// image stowage/FAMILY:1); services db, api (HEALTHY on db, SUCCESS of task
// migrate) and web (HEALTHY on api).
struct Tiers {
  Tiers() {
    desired.cluster.name = "prod";
    model::Host host;
    host.name = "a";
    host.endpoint = "default";
    desired.cluster.hosts.push_back(host);
    // The migration exits 0 at once unless a test says otherwise.
    factory.Engine("a")->SetStartOutcome(Image("migrate"), StartOutcome{0, std::nullopt});
    for (const char* family : {"api", "db", "migrate", "web"}) {
      model::TaskDefinition td;
      td.family = family;
      td.revision = std::string("r2-") + family;
      model::ContainerDefinition c;
      c.name = "app";
      c.image = Image(family);
      td.containers.push_back(c);
      desired.task_definitions.push_back(td);
    }
    for (const char* name : {"api", "db", "web"}) {
      model::Service s;
      s.name = name;
      s.task_definition = name;
      s.desired_count = 1;
      desired.services.push_back(s);
    }
    desired.services[0].depends_on = {On("db", ServiceCondition::kHealthy),
                                      On("migrate", ServiceCondition::kSuccess, true)};
    desired.services[2].depends_on = {On("api", ServiceCondition::kHealthy)};
    plan.cluster = "prod";
    options.poll = std::chrono::milliseconds(500);
    options.settle = std::chrono::milliseconds(10000);
  }

  // `service` starts one new task "n-SERVICE" (a deployment when it has an old one).
  void Deploy(const std::string& service) {
    plan::ServicePlan sp;
    sp.service = service;
    sp.family = service;
    sp.revision = "r2-" + service;
    sp.desired = 1;
    sp.scheduling_strategy = "REPLICA";
    plan::DeploymentStep step;
    step.actions.push_back(
        {plan::ActionType::kStart, "a", "n-" + service, sp.revision, "revision change", ""});
    if (old_.count(service)) {
      sp.running = 1;
      sp.deployment = plan::Deployment{"r1", sp.revision, 1, 2, true, 1, true};
      step.actions.push_back(
          {plan::ActionType::kStop, "a", "o-" + service, "r1", "revision change", ""});
    }
    sp.steps.push_back(step);
    plan.services.push_back(sp);
    std::sort(plan.services.begin(), plan.services.end(),
              [](const auto& x, const auto& y) { return x.service < y.service; });
  }

  // An old task "o-SERVICE" of revision r1, running.
  void AddOld(const std::string& service) {
    old_.insert(service);
    runtime::ContainerSpec s;
    s.name = labels::ContainerName(service, "app", "o-" + service);
    s.image = Image(service);
    s.labels = {{labels::kCluster, "prod"},  {labels::kHost, "a"},
                {labels::kService, service}, {labels::kTask, "o-" + service},
                {labels::kFamily, service},  {labels::kRevision, "r1"},
                {labels::kContainer, "app"}, {labels::kEssential, "true"},
                {labels::kStartOrder, "0"},  {labels::kStopTimeout, "30"}};
    REQUIRE(factory.Engine("a")->AddContainer(s, ContainerState::kRunning).ok());
  }

  ApplyResult Run() {
    plan.order = plan::OrderRelease(desired, plan.services);
    return Apply(plan, desired, factory, options, &recorder, clock);
  }

  const ServiceResult& Result(const ApplyResult& r, const std::string& service) {
    auto it = std::find_if(r.services.begin(), r.services.end(),
                           [&](const auto& s) { return s.service == service; });
    REQUIRE(it != r.services.end());
    return *it;
  }

  bool Running(const std::string& task) {
    for (const auto& c : factory.Engine("a")->Containers()) {
      if (c.summary.labels.count(labels::kTask) && c.summary.labels.at(labels::kTask) == task) {
        return c.summary.state == ContainerState::kRunning;
      }
    }
    return false;
  }

  model::DesiredState desired;
  FakeRuntimeFactory factory;
  plan::Plan plan;
  ApplyOptions options;
  ManualClock clock;
  Recorder recorder;
  std::set<std::string> old_;
};

}  // namespace

TEST_CASE("from empty: db, then the migration, then api, then web", "[apply][order]") {
  Tiers t;
  for (const char* s : {"api", "db", "web"}) t.Deploy(s);
  auto result = t.Run();
  CHECK(result.ExitCode() == 0);
  for (const auto& s : result.services) {
    INFO(s.service << ": " << s.message);
    CHECK(s.outcome == Outcome::kConverged);
  }
  const auto& r = t.recorder;
  CHECK(r.Index("task_healthy db") < r.Index("oneshot_started api migrate"));
  CHECK(r.Index("oneshot_exited api migrate succeeded") < r.Index("task_starting api"));
  CHECK(r.Index("service_done api converged") < r.Index("task_starting web"));
  CHECK(r.Index("dependency_wait api db HEALTHY") < r.lines.size());
  CHECK(r.Index("dependency_wait api task migrate SUCCESS") < r.lines.size());
  // The migration ran as a standalone task, left exited for its logs.
  auto log = t.factory.Engine("a")->CallLog();
  auto pos = [&](const std::string& prefix) {
    return std::find_if(log.begin(), log.end(),
                        [&](const auto& l) { return l.rfind(prefix, 0) == 0; }) -
           log.begin();
  };
  CHECK(pos("start db.app.n-db") < pos("start migrate.app."));
  CHECK(pos("start migrate.app.") < pos("start api.app.n-api"));
  CHECK(pos("start api.app.n-api") < pos("start web.app.n-web"));
}

TEST_CASE("a failing migration leaves api and web on their old tasks", "[apply][order]") {
  Tiers t;
  for (const char* s : {"api", "db", "web"}) t.AddOld(s);
  for (const char* s : {"api", "db", "web"}) t.Deploy(s);
  t.factory.Engine("a")->SetStartOutcome(Image("migrate"), StartOutcome{1, std::nullopt});
  auto result = t.Run();
  CHECK(t.Result(result, "db").outcome == Outcome::kConverged);
  const auto& api = t.Result(result, "api");
  CHECK(api.outcome == Outcome::kNotDeployed);
  CHECK(api.message == "depends on task migrate, which failed: app exited 1");
  CHECK(api.cause == Outcome::kFailed);
  const auto& web = t.Result(result, "web");
  CHECK(web.outcome == Outcome::kNotDeployed);
  CHECK(web.message == "depends on api, which was not deployed");
  CHECK(web.cause == Outcome::kFailed);
  CHECK(result.ExitCode() == 1);
  CHECK(t.Running("o-api"));
  CHECK(t.Running("o-web"));
  CHECK_FALSE(t.Running("n-api"));
  CHECK(t.recorder.Index("task_starting api") == t.recorder.lines.size());
  CHECK(t.recorder.Index("oneshot_exited api migrate: app exited 1") < t.recorder.lines.size());
}

TEST_CASE("COMPLETE only needs the task to end", "[apply][order]") {
  Tiers t;
  t.desired.services[0].depends_on[1].condition = ServiceCondition::kComplete;
  t.Deploy("api");
  t.factory.Engine("a")->SetStartOutcome(Image("migrate"), StartOutcome{3, std::nullopt});
  auto result = t.Run();
  CHECK(t.Result(result, "api").outcome == Outcome::kConverged);
  CHECK(result.ExitCode() == 0);
}

TEST_CASE("a dependency rolled back: dependents not deployed, exit 3", "[apply][order]") {
  Tiers t;
  for (const char* s : {"api", "db", "web"}) t.AddOld(s);
  for (const char* s : {"api", "db", "web"}) t.Deploy(s);
  t.factory.Engine("a")->SetStartOutcome(Image("db"), StartOutcome{1, std::nullopt});
  auto result = t.Run();
  CHECK(t.Result(result, "db").outcome == Outcome::kRolledBack);
  CHECK(t.Result(result, "api").message == "depends on db, which rolled back");
  CHECK(t.Result(result, "api").cause == Outcome::kRolledBack);
  CHECK(t.Result(result, "web").message == "depends on api, which was not deployed");
  CHECK(result.ExitCode() == 3);
  CHECK(t.Running("o-db"));
  CHECK(t.Running("o-api"));
  CHECK(t.Running("o-web"));
  CHECK(t.recorder.Index("oneshot_started") == t.recorder.lines.size());  // never ran
}

TEST_CASE("a change to web alone does not wait", "[apply][order]") {
  Tiers t;
  t.Deploy("web");
  auto result = t.Run();
  CHECK(result.ExitCode() == 0);
  CHECK(t.recorder.Index("dependency_wait") == t.recorder.lines.size());
}

TEST_CASE("STARTED holds once the dependency's new task runs", "[apply][order]") {
  Tiers t;
  t.desired.services[2].depends_on[0].condition = ServiceCondition::kStarted;
  t.desired.services[0].depends_on.clear();
  t.Deploy("api");
  t.Deploy("web");
  auto result = t.Run();
  CHECK(result.ExitCode() == 0);
  CHECK(t.recorder.Index("task_starting api") < t.recorder.Index("task_starting web"));
}

TEST_CASE("a hand-edited plan whose order has a cycle deploys nothing that waits",
          "[apply][order]") {
  Tiers t;
  t.Deploy("api");
  t.Deploy("web");
  t.plan.order.gates = {{"api", plan::GateKind::kService, "web", "HEALTHY", "", true, ""},
                        {"web", plan::GateKind::kService, "api", "HEALTHY", "", true, ""}};
  auto result = Apply(t.plan, t.desired, t.factory, t.options, &t.recorder, t.clock);
  CHECK(t.Result(result, "api").message == "the plan's order has a cycle: api -> web -> api");
  CHECK(t.Result(result, "web").outcome == Outcome::kFailed);
  CHECK(result.ExitCode() == 1);
}

}  // namespace stowage::apply
