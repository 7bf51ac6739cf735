#include "apply/applier.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>
#include <tuple>

#include "apply/retired.h"
#include "model/labels.h"
#include "observe/snapshot.h"
#include "runtime/fake/fake_runtime.h"

namespace stowage::apply {
namespace {

using runtime::ContainerState;
using runtime::fake::FakeEngine;
using runtime::fake::FakeRuntimeFactory;
using runtime::fake::Method;
using runtime::fake::StartOutcome;

constexpr const char* kImage = "stowage/busybox:1";

class Recorder : public Observer {
 public:
  void OnEvent(const ApplyEvent& e) override {
    lines.push_back(std::string(EventTypeName(e.type)) + " " + e.service + " " + e.host + " " +
                    e.task_id + (e.message.empty() ? "" : " " + e.message));
  }
  int Count(const std::string& prefix) const {
    return static_cast<int>(std::count_if(lines.begin(), lines.end(),
                                          [&](const auto& l) { return l.rfind(prefix, 0) == 0; }));
  }
  std::vector<std::string> lines;
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
    model::TaskDefinition td;
    td.family = "web";
    td.revision = "r2";
    model::ContainerDefinition c;
    c.name = "app";
    c.image = kImage;
    td.containers.push_back(c);
    desired.task_definitions.push_back(td);
    model::Service svc;
    svc.name = "web";
    svc.task_definition = "web";
    svc.desired_count = 2;
    desired.services.push_back(svc);
    plan.cluster = "prod";
    options.poll = std::chrono::milliseconds(500);
    options.settle = std::chrono::milliseconds(10000);
  }

  FakeEngine& Engine(const std::string& h) { return *factory.Engine(h); }

  // A non-essential "init" container that app waits for (SUCCESS).
  void AddInitContainer() {
    auto& td = desired.task_definitions[0];
    model::ContainerDefinition init;
    init.name = "init";
    init.image = "stowage/init:1";
    init.essential = false;
    td.containers[0].depends_on = {{"init", model::DependencyCondition::kSuccess, {}}};
    td.containers.push_back(init);
  }

  // An existing task of revision `rev` running on `host`.
  void AddOld(const std::string& host, const std::string& task, const std::string& rev,
              ContainerState state = ContainerState::kRunning) {
    runtime::ContainerSpec s;
    s.name = labels::ContainerName("web", "app", task);
    s.image = kImage;
    s.labels = {{labels::kCluster, "prod"},  {labels::kHost, host},
                {labels::kService, "web"},   {labels::kTask, task},
                {labels::kFamily, "web"},    {labels::kRevision, rev},
                {labels::kContainer, "app"}, {labels::kEssential, "true"},
                {labels::kStartOrder, "0"},  {labels::kStopTimeout, "30"}};
    REQUIRE(Engine(host).AddContainer(s, state).ok());
  }

  plan::ServicePlan& Service() {
    if (plan.services.empty()) {
      plan::ServicePlan sp;
      sp.service = "web";
      sp.family = "web";
      sp.revision = "r2";
      sp.desired = 2;
      plan.services.push_back(sp);
    }
    return plan.services[0];
  }

  void Step(std::vector<plan::TaskAction> actions) {
    plan::DeploymentStep step;
    step.actions = std::move(actions);
    Service().steps.push_back(step);
  }

  void Deployment(bool rollback, int threshold) {
    plan::Deployment d;
    d.from_revision = "r1";
    d.to_revision = "r2";
    d.circuit_breaker = true;
    d.rollback = rollback;
    d.failure_threshold = threshold;
    Service().deployment = d;
  }

  // Old tasks o1 on a and o2 on b (revision r1) replaced by tasks of `image`
  // as with maximumPercent 100: each step stops an old task, the next starts
  // its replacement.
  void StopFirstRollout(const std::string& image) {
    AddOld("a", "o1", "r1");
    AddOld("b", "o2", "r1");
    desired.task_definitions[0].containers[0].image = image;
    for (const auto& [host, old_task, new_task] :
         {std::tuple{"a", "o1", "n1"}, std::tuple{"b", "o2", "n2"}}) {
      Step({{plan::ActionType::kStop, host, old_task, "r1", "revision change", ""}});
      Step({{plan::ActionType::kStart, host, new_task, "r2", "revision change", ""}});
    }
  }

  ApplyResult Run() { return Apply(plan, desired, factory, options, &recorder, clock); }

  // Containers of service web on `host` in `state`, by task id.
  std::vector<std::string> Tasks(const std::string& host, ContainerState state) {
    std::vector<std::string> out;
    for (const auto& c : Engine(host).Containers()) {
      if (c.summary.state == state) out.push_back(c.summary.labels.at(labels::kTask));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  model::DesiredState desired;
  FakeRuntimeFactory factory;
  plan::Plan plan;
  ApplyOptions options;
  ManualClock clock;
  Recorder recorder;
};

plan::TaskAction Start(const std::string& host, const std::string& task) {
  return {plan::ActionType::kStart, host, task, "r2", "scale up", ""};
}
plan::TaskAction Stop(const std::string& host, const std::string& task) {
  return {plan::ActionType::kStop, host, task, "r1", "revision change", ""};
}

}  // namespace

TEST_CASE("apply starts planned tasks, pulling each image once per host", "[apply]") {
  Fixture f;
  f.Step({Start("a", "t1"), Start("a", "t2"), Start("b", "t3")});
  auto result = f.Run();
  REQUIRE(result.services.size() == 1);
  CHECK(result.services[0].outcome == Outcome::kConverged);
  CHECK(result.services[0].started == 3);
  CHECK(result.ExitCode() == 0);
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"t1", "t2"});
  CHECK(f.Tasks("b", ContainerState::kRunning) == std::vector<std::string>{"t3"});
  CHECK(f.Engine("a").PullCount() == 1);
  CHECK(f.Engine("b").PullCount() == 1);
  auto c = f.Engine("a").Find("web.app.t1");
  REQUIRE(c);
  CHECK(c->spec.labels.at(labels::kHost) == "a");
  CHECK(f.recorder.Count("task_healthy web") == 3);
  CHECK(f.recorder.lines.back() == "service_done web   converged");
}

TEST_CASE("repositoryCredentials: the pull uses them; a malformed value stops nothing", "[apply]") {
  Fixture f;
  f.desired.task_definitions[0].containers[0].credentials_parameter = "reg/creds";
  std::string value = "ci:hunter2";
  f.options.resolve_secret = [&](const std::string& ref) -> Result<std::string> {
    if (ref == "reg/creds") return value;
    return Status::NotFound("valueFrom \"" + ref + "\": not found");
  };
  f.Step({Start("a", "t1")});
  auto ok = f.Run();
  REQUIRE(ok.services.size() == 1);
  CHECK(ok.services[0].outcome == Outcome::kConverged);
  auto log = f.Engine("a").CallLog();
  CHECK(std::count(log.begin(), log.end(), "pull stowage/busybox:1 as ci") == 1);

  Fixture g;
  g.desired.task_definitions[0].containers[0].credentials_parameter = "reg/creds";
  g.options.resolve_secret = f.options.resolve_secret;
  value = "hunter2";
  g.StopFirstRollout(kImage);
  auto failed = g.Run();
  REQUIRE(failed.services.size() == 1);
  CHECK(failed.services[0].outcome == Outcome::kFailed);
  CHECK(g.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"o1"});
  CHECK(g.Tasks("b", ContainerState::kRunning) == std::vector<std::string>{"o2"});
  for (const auto& l : g.recorder.lines) CHECK(l.find("hunter2") == std::string::npos);
  CHECK(g.recorder.lines.back().find("repositoryCredentials of container app: "
                                     "credentialsParameter \"reg/creds\": the value is not") !=
        std::string::npos);
}

TEST_CASE("rolling deployment stops old tasks after new ones are healthy, removes at end",
          "[apply]") {
  Fixture f;
  f.AddOld("a", "o1", "r1");
  f.AddOld("b", "o2", "r1");
  f.Deployment(true, 2);
  f.Step({Start("a", "n1"), Stop("a", "o1")});
  f.Step({Start("b", "n2"), Stop("b", "o2")});
  auto result = f.Run();
  INFO(result.services[0].message);
  CHECK(result.services[0].outcome == Outcome::kConverged);
  CHECK(result.services[0].stopped == 2);
  CHECK(result.services[0].removed == 2);
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"n1"});
  CHECK(f.Tasks("b", ContainerState::kRunning) == std::vector<std::string>{"n2"});
  CHECK_FALSE(f.Engine("a").Find("web.app.o1"));
  auto log = f.Engine("a").CallLog();
  auto pos = [&](const std::string& s) {
    return std::find(log.begin(), log.end(), s) - log.begin();
  };
  CHECK(pos("start web.app.n1") < pos("stop web.app.o1"));
  CHECK(pos("stop web.app.o1") < pos("remove web.app.o1"));
  // Step 2 begins only after step 1 stopped its old task.
  auto blog = f.Engine("b").CallLog();
  CHECK(std::find(blog.begin(), blog.end(), "start web.app.n2") != blog.end());
  auto stopped = std::find(f.recorder.lines.begin(), f.recorder.lines.end(),
                           "task_stopped web a o1 revision change");
  REQUIRE(stopped != f.recorder.lines.end());
  CHECK(std::count_if(f.recorder.lines.begin(), stopped,
                      [](const auto& l) { return l.rfind("step_started", 0) == 0; }) == 1);
}

TEST_CASE("circuit breaker trips and rollback restores the old revision", "[apply]") {
  Fixture f;
  f.AddOld("a", "o1", "r1");
  f.AddOld("b", "o2", "r1");
  f.Engine("b").SetStartOutcome(kImage, StartOutcome{1, std::nullopt});
  f.Deployment(true, 2);
  f.Step({Start("a", "n1"), Stop("a", "o1")});
  f.Step({Start("b", "n2"), Stop("b", "o2")});
  auto result = f.Run();
  const auto& s = result.services[0];
  CHECK(s.outcome == Outcome::kRolledBack);
  CHECK(s.failed == 1);  // n2, twice: the breaker counts attempts, the summary tasks
  CHECK(s.removed == 2);
  CHECK(s.message == "circuit breaker: 2 new task(s) failed (threshold 2); revision r1 restored");
  CHECK(result.ExitCode() == 3);
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"o1"});
  CHECK(f.Tasks("b", ContainerState::kRunning) == std::vector<std::string>{"o2"});
  CHECK_FALSE(f.Engine("a").Find("web.app.n1"));
  CHECK_FALSE(f.Engine("b").Find("web.app.n2"));
  CHECK(f.recorder.Count("task_failed web b n2 essential container app exited (code 1)") == 2);
  CHECK(f.recorder.Count("circuit_breaker web") == 1);
  CHECK(f.recorder.Count("task_restarted web a o1") == 1);
}

TEST_CASE("a rollback counts and reports each task once, retried or not", "[apply]") {
  Fixture f;
  f.AddOld("a", "o1", "r1");
  f.Engine("a").SetStartOutcome(kImage, StartOutcome{1, std::nullopt});
  // Both first attempts are in flight together; the first retry trips the
  // breaker, the second waits and never begins.
  f.Engine("a").SetLatency(Method::kStart, std::chrono::milliseconds(20));
  f.Deployment(true, 3);
  f.Step({Start("a", "n1"), Start("a", "n2"), Stop("a", "o1")});
  auto result = f.Run();
  const auto& s = result.services[0];
  CHECK(s.outcome == Outcome::kRolledBack);
  // Three failed attempts of two tasks: both were removed for a retry, and
  // the rollback removed them again.
  CHECK(f.recorder.Count("task_failed web a") == 3);
  CHECK(s.failed == 2);
  CHECK(s.removed == 2);
  CHECK(f.recorder.Count("task_removed web a n1") == 1);
  CHECK(f.recorder.Count("task_removed web a n2") == 1);
  CHECK_FALSE(f.Engine("a").Find("web.app.n1"));
  CHECK_FALSE(f.Engine("a").Find("web.app.n2"));
}

TEST_CASE("a hand-edited label read from an engine is an error, not the end of the process",
          "[apply]") {
  Fixture f;
  f.AddOld("a", "o1", "r1");
  f.AddOld("b", "o2", "r1");
  REQUIRE(f.Engine("a").SetLabel("web.app.o1", labels::kStartOrder, "1st\x1b[2J").ok());
  REQUIRE(f.Engine("b").SetLabel("web.app.o2", labels::kStopTimeout, "99999999999").ok());
  f.Step({Stop("a", "o1")});
  f.Step({Stop("b", "o2")});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kFailed);
  CHECK(result.services[0].message ==
        "container web.app.o1: label io.stowage.start-order: expected an integer from 0 to "
        "1000, got \"1st\\x1b[2J\"");
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"o1"});
  f.plan.services[0].steps.erase(f.plan.services[0].steps.begin());
  result = f.Run();
  CHECK(result.services[0].message ==
        "container web.app.o2: label io.stowage.stop-timeout: expected an integer from 0 to "
        "86400, got \"99999999999\"");
}

TEST_CASE("an unhealthy new task fails the service without a circuit breaker", "[apply]") {
  Fixture f;
  f.desired.task_definitions[0].containers[0].health_check =
      model::HealthCheck{{"CMD-SHELL", "false"}, 5, 2, 3, 0};
  f.Engine("a").SetStartOutcome(kImage, StartOutcome{std::nullopt, runtime::Health::kUnhealthy});
  f.AddOld("a", "o1", "r1");
  f.Step({Start("a", "n1"), Stop("a", "o1")});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kFailed);
  CHECK(result.services[0].message == "essential container app is unhealthy");
  CHECK(result.ExitCode() == 1);
  // The old task was never stopped.
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"n1", "o1"});
}

TEST_CASE("the health check grace period ignores early unhealthy reports", "[apply]") {
  Fixture f;
  f.desired.task_definitions[0].containers[0].health_check =
      model::HealthCheck{{"CMD-SHELL", "true"}, 5, 2, 3, 0};
  f.desired.services[0].health_check_grace_period_seconds = 60;
  f.options.gate_timeout = std::chrono::milliseconds(30000);
  f.Engine("a").SetStartOutcome(kImage, StartOutcome{std::nullopt, runtime::Health::kUnhealthy});
  f.Step({Start("a", "n1")});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kFailed);
  CHECK(result.services[0].message == "task n1 not healthy after 30 s");
}

TEST_CASE("containers start in dependsOn order", "[apply]") {
  Fixture f;
  f.AddInitContainer();
  f.Engine("a").SetStartOutcome("stowage/init:1", StartOutcome{0, std::nullopt});
  f.Step({Start("a", "t1")});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kConverged);
  auto log = f.Engine("a").CallLog();
  auto pos = [&](const std::string& s) {
    return std::find(log.begin(), log.end(), s) - log.begin();
  };
  CHECK(pos("start web.init.t1") < pos("create web.app.t1"));
  CHECK(pos("create web.app.t1") < pos("start web.app.t1"));
}

TEST_CASE("a failed SUCCESS dependency fails the task", "[apply]") {
  Fixture f;
  f.AddInitContainer();
  f.Engine("a").SetStartOutcome("stowage/init:1", StartOutcome{2, std::nullopt});
  f.Step({Start("a", "t1")});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kFailed);
  CHECK(result.services[0].message == "dependency init exited (code 2), SUCCESS required");
}

TEST_CASE("apply adopts containers a crashed apply left behind", "[apply]") {
  Fixture f;
  TaskIdentity id{"prod", "a", "web", "t1", false, ""};
  auto spec = BuildTaskSpec(f.desired.task_definitions[0], id);
  REQUIRE(spec.ok());
  f.Engine("a").AddImage(kImage);
  REQUIRE(f.Engine("a").Create(spec->containers[0].spec).ok());
  f.Step({Start("a", "t1")});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kConverged);
  CHECK(f.Engine("a").Containers().size() == 1);
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"t1"});
}

TEST_CASE("a name held by an unmanaged container is never touched", "[apply]") {
  Fixture f;
  runtime::ContainerSpec mine;
  mine.name = "web.app.t1";
  mine.image = kImage;
  REQUIRE(f.Engine("a").AddContainer(mine).ok());
  f.Step({Start("a", "t1")});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kFailed);
  CHECK(result.services[0].message ==
        "container name web.app.t1 is taken by a container stowage does not manage");
  REQUIRE(f.Engine("a").Find("web.app.t1"));
  CHECK(f.Engine("a").Find("web.app.t1")->summary.state == ContainerState::kRunning);
}

TEST_CASE("an unreachable host fails its service, the others converge", "[apply]") {
  Fixture f;
  f.factory.FailConnect("b", Status::Unreachable("connect: refused"));
  model::Service other = f.desired.services[0];
  other.name = "api";
  f.desired.services.push_back(other);
  f.Step({Start("b", "t1")});
  plan::ServicePlan api = f.plan.services[0];
  api.service = "api";
  api.steps = {plan::DeploymentStep{{Start("a", "t2")}, 0, 0}};
  f.plan.services.push_back(api);
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kFailed);
  // Found in the pull phase, before any step.
  CHECK(result.services[0].message == "connect: refused; no task was stopped");
  CHECK(result.services[1].outcome == Outcome::kConverged);
  CHECK(result.ExitCode() == 1);
}

TEST_CASE("blocked tasks give exit status 4 after the rest applied", "[apply]") {
  Fixture f;
  f.Step({Start("a", "t1")});
  f.Service().blocked.push_back({1, {"a: memory 512 > 300 free"}});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kBlocked);
  CHECK(result.services[0].message == "1 task(s) could not be placed");
  CHECK(result.ExitCode() == 4);
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"t1"});
}

TEST_CASE("cancellation skips the steps not yet begun", "[apply]") {
  Fixture f;
  std::atomic<bool> cancel{true};
  f.options.cancel = &cancel;
  f.Step({Start("a", "t1")});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kCancelled);
  CHECK(result.services[0].message == "cancelled before step 1");
  CHECK(f.Engine("a").Containers().empty());
}

TEST_CASE("prune removes a running task", "[apply]") {
  Fixture f;
  f.AddOld("a", "o1", "r1");
  f.Step({{plan::ActionType::kRemove, "a", "o1", "r1", "service removed (prune)", ""}});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kConverged);
  CHECK(f.Engine("a").Containers().empty());
  // The last step's stop is handed to the engine: the task is retired first.
  auto log = f.Engine("a").CallLog();
  REQUIRE(log.size() == 3);
  CHECK(log[0].rfind("rename web.app.o1 web.app.o1.retired-", 0) == 0);
  CHECK(log[1].rfind("stop web.app.o1.retired-", 0) == 0);
  CHECK(log[2].rfind("remove web.app.o1.retired-", 0) == 0);
}

TEST_CASE("engine operations in flight are bounded per host", "[apply]") {
  Fixture f;
  f.options.parallelism = 2;
  f.options.wait = false;
  f.Engine("a").SetLatency(Method::kCreate, std::chrono::milliseconds(20));
  std::vector<plan::TaskAction> starts;
  for (int i = 0; i < 6; ++i) starts.push_back(Start("a", "t" + std::to_string(i)));
  f.Step(starts);
  auto begin = std::chrono::steady_clock::now();
  auto result = f.Run();
  auto took = std::chrono::steady_clock::now() - begin;
  CHECK(result.services[0].outcome == Outcome::kPending);  // --no-wait: health not awaited
  CHECK(f.Tasks("a", ContainerState::kRunning).size() == 6);
  // 6 creates of 20 ms, two at a time: at least 60 ms.
  CHECK(took >= std::chrono::milliseconds(60));
}

}  // namespace stowage::apply

namespace stowage::apply {

TEST_CASE("failures in flight never push the circuit breaker count past its threshold", "[apply]") {
  Fixture f;
  f.Engine("a").SetStartOutcome(kImage, StartOutcome{1, std::nullopt});
  f.Engine("a").SetLatency(Method::kStart, std::chrono::milliseconds(5));
  f.Deployment(false, 3);
  std::vector<plan::TaskAction> starts;
  for (int i = 0; i < 5; ++i) starts.push_back(Start("a", "n" + std::to_string(i)));
  f.Step(starts);
  auto result = f.Run();
  const auto& s = result.services[0];
  CHECK(s.outcome == Outcome::kFailed);
  // `failed` counts tasks, the breaker attempts: a failed task may be retried
  // before another is first tried (scheduling), so 3 attempts are 1 to 3 tasks.
  CHECK(s.failed >= 1);
  CHECK(s.failed <= 3);
  CHECK(s.message == "circuit breaker: 3 new task(s) failed (threshold 3)");
  // Only three attempts were ever started: none beyond the threshold.
  CHECK(f.Engine("a").CallCount(Method::kStart) == 3);
  CHECK(f.recorder.Count("task_failed web") == 3);
}

TEST_CASE("attempts wait for those in flight, then succeed under the threshold", "[apply]") {
  Fixture f;
  f.Engine("a").SetLatency(Method::kStart, std::chrono::milliseconds(5));
  f.Deployment(true, 3);
  std::vector<plan::TaskAction> starts;
  for (int i = 0; i < 7; ++i) starts.push_back(Start("a", "n" + std::to_string(i)));
  f.Step(starts);
  f.options.settle = std::chrono::milliseconds(0);
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kConverged);
  CHECK(result.services[0].started == 7);
  CHECK(f.Tasks("a", ContainerState::kRunning).size() == 7);
}

TEST_CASE("apply --no-wait starts new tasks and keeps the old ones running", "[apply]") {
  Fixture f;
  f.options.wait = false;
  f.AddOld("a", "o1", "r1");
  f.AddOld("b", "o2", "r1");
  f.Deployment(true, 3);
  f.Step({Start("a", "n1"), Stop("a", "o1")});
  f.Step({Start("b", "n2"), Stop("b", "o2")});
  auto result = f.Run();
  const auto& s = result.services[0];
  CHECK(s.outcome == Outcome::kPending);
  CHECK(s.message ==
        "1 new task(s) started, health not awaited; old tasks kept until an apply that waits "
        "finishes the deployment");
  CHECK(result.ExitCode() == 0);
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"n1", "o1"});
  CHECK(f.Tasks("b", ContainerState::kRunning) == std::vector<std::string>{"o2"});
  CHECK(f.Engine("a").CallCount(Method::kStop) == 0);
  CHECK(f.Engine("b").CallCount(Method::kCreate) == 0);
  CHECK(f.recorder.lines.back() ==
        "service_done web   pending: 1 new task(s) started, health not awaited; old tasks kept "
        "until an apply that waits finishes the deployment");
}

TEST_CASE("apply --no-wait still scales in: removals that wait for no new task", "[apply]") {
  Fixture f;
  f.options.wait = false;
  f.AddOld("a", "o1", "r2");
  f.AddOld("b", "o2", "r2");
  f.Step({{plan::ActionType::kRemove, "b", "o2", "r2", "scale in 2 -> 1", ""}});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kConverged);
  CHECK(f.Tasks("b", ContainerState::kRunning).empty());
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"o1"});
}

TEST_CASE("removing a task removes its task-scoped volumes, not shared ones", "[apply]") {
  Fixture f;
  auto& td = f.desired.task_definitions[0];
  model::Volume scratch;
  scratch.name = "scratch";
  model::Volume cache;
  cache.name = "cache";
  cache.docker_volume_configuration = model::DockerVolumeConfiguration{};
  cache.docker_volume_configuration->scope = "shared";
  td.volumes = {scratch, cache};
  td.containers[0].mount_points = {{"scratch", "/scratch", false, {}},
                                   {"cache", "/cache", false, {}}};
  f.options.settle = std::chrono::milliseconds(0);
  f.Step({Start("a", "t1"), Start("a", "t2")});
  REQUIRE(f.Run().services[0].outcome == Outcome::kConverged);
  auto names = [&] {
    std::vector<std::string> out;
    for (const auto& [name, spec] : f.Engine("a").Volumes()) out.push_back(name);
    return out;
  };
  CHECK(names() == std::vector<std::string>{"cache", "web.scratch.t1", "web.scratch.t2"});
  f.plan.services.clear();
  f.Step({{plan::ActionType::kRemove, "a", "t1", "r2", "scale in 2 -> 1", ""}});
  REQUIRE(f.Run().services[0].outcome == Outcome::kConverged);
  CHECK(names() == std::vector<std::string>{"cache", "web.scratch.t2"});
  auto log = f.Engine("a").CallLog();
  CHECK(std::find(log.begin(), log.end(), "remove volume web.scratch.t1") != log.end());
}

}  // namespace stowage::apply

namespace stowage::apply {

TEST_CASE("old tasks are stopped only once earlier started new-revision tasks are healthy",
          "[apply]") {
  for (auto health : {runtime::Health::kUnhealthy, runtime::Health::kHealthy}) {
    Fixture f;
    f.AddOld("a", "o1", "r1");
    f.AddOld("b", "x1", "r2");  // started by an apply --no-wait
    REQUIRE(f.Engine("b").SetHealth("web.app.x1", health).ok());
    f.Deployment(true, 3);
    f.Step({Stop("a", "o1")});
    auto result = f.Run();
    if (health == runtime::Health::kUnhealthy) {
      CHECK(result.services[0].outcome == Outcome::kFailed);
      CHECK(result.services[0].message ==
            "task x1 on b (started earlier): essential container app is unhealthy");
      CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"o1"});
    } else {
      CHECK(result.services[0].outcome == Outcome::kConverged);
      CHECK_FALSE(f.Engine("a").Find("web.app.o1"));
    }
  }
}

}  // namespace stowage::apply

namespace stowage::apply {

TEST_CASE("stops run all at once, under a bound of their own, not the creates'", "[apply]") {
  for (int stop_bound : {64, 3}) {
    Fixture f;
    f.options.parallelism = 2;
    f.options.stop_parallelism = stop_bound;
    f.options.settle = std::chrono::milliseconds(0);
    f.Engine("a").SetLatency(Method::kCreate, std::chrono::milliseconds(20));
    f.Engine("a").SetLatency(Method::kStop, std::chrono::milliseconds(400));
    f.Deployment(true, 3);
    std::vector<plan::TaskAction> actions;
    for (int i = 0; i < 12; ++i) {
      f.AddOld("a", "o" + std::to_string(i), "r1");
      actions.push_back(Start("a", "n" + std::to_string(i)));
    }
    for (int i = 0; i < 12; ++i) actions.push_back(Stop("a", "o" + std::to_string(i)));
    f.Step(actions);
    auto result = f.Run();
    INFO("stop bound " << stop_bound);
    CHECK(result.services[0].outcome == Outcome::kConverged);
    CHECK(result.services[0].stopped == 12);
    CHECK(f.Engine("a").MaxConcurrent(Method::kCreate) == 2);
    CHECK(f.Engine("a").MaxConcurrent(Method::kStop) == std::min(12, stop_bound));
  }
}

TEST_CASE("images are pulled on every host before anything is stopped", "[apply]") {
  Fixture f;
  f.StopFirstRollout("stowage/busybox:2");
  f.Deployment(true, 3);
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kConverged);
  for (const char* h : {"a", "b"}) {
    auto log = f.Engine(h).CallLog();
    REQUIRE_FALSE(log.empty());
    CHECK(log.front() == "pull stowage/busybox:2");
  }
  // Host b's pull happened before host a's old task was stopped.
  auto pulled = std::find(f.recorder.lines.begin(), f.recorder.lines.end(),
                          "image_pulled web b  stowage/busybox:2");
  auto stopped = std::find(f.recorder.lines.begin(), f.recorder.lines.end(),
                           "task_stopped web a o1 revision change");
  REQUIRE(pulled != f.recorder.lines.end());
  REQUIRE(stopped != f.recorder.lines.end());
  CHECK(pulled < stopped);
}

TEST_CASE("a pull that fails fails the service with every old task still running", "[apply]") {
  Fixture f;
  f.StopFirstRollout("stowage/nope:1");
  f.Engine("b").MakeUnpullable("stowage/nope:1");
  auto result = f.Run();
  const auto& s = result.services[0];
  CHECK(s.outcome == Outcome::kFailed);
  CHECK(s.message ==
        "host b: pull access denied for stowage/nope:1, repository does not exist or may "
        "require 'docker login'; no task was stopped");
  CHECK(result.ExitCode() == 1);
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"o1"});
  CHECK(f.Tasks("b", ContainerState::kRunning) == std::vector<std::string>{"o2"});
  CHECK(f.Engine("a").CallCount(Method::kStop) == 0);
  CHECK(f.Engine("b").CallCount(Method::kStop) == 0);
  CHECK(f.Engine("a").CallCount(Method::kCreate) == 0);
  CHECK(f.recorder.Count("step_started") == 0);
}

TEST_CASE("a start that fails after a stop restarts the stopped old tasks", "[apply]") {
  Fixture f;
  f.StopFirstRollout("stowage/busybox:2");
  f.Engine("b").SetStartOutcome("stowage/busybox:2", StartOutcome{1, std::nullopt});
  // No circuit breaker: the first failure fails the service.
  f.options.settle = std::chrono::milliseconds(0);
  auto result = f.Run();
  const auto& s = result.services[0];
  CHECK(s.outcome == Outcome::kFailed);
  CHECK(s.message ==
        "essential container app exited (code 1); 2 stopped old task(s) restarted, new ones "
        "removed");
  CHECK(f.Tasks("a", ContainerState::kRunning) == std::vector<std::string>{"o1"});
  CHECK(f.Tasks("b", ContainerState::kRunning) == std::vector<std::string>{"o2"});
  CHECK_FALSE(f.Engine("a").Find("web.app.n1"));
  CHECK_FALSE(f.Engine("b").Find("web.app.n2"));
  CHECK(f.recorder.Count("task_restarted web") == 2);
}

}  // namespace stowage::apply

namespace stowage::apply {

TEST_CASE("an old task is stopped once a new one is healthy, not after the whole step", "[apply]") {
  Fixture f;
  f.AddOld("a", "o1", "r1");
  f.AddOld("b", "o2", "r1");
  f.options.settle = std::chrono::milliseconds(0);
  // Host b creates slowly: its new task is healthy long after host a's.
  f.Engine("b").SetLatency(Method::kCreate, std::chrono::milliseconds(1000));
  f.Deployment(true, 3);
  f.Step({Start("a", "n1"), Start("b", "n2"), Stop("a", "o1"), Stop("b", "o2")});
  auto result = f.Run();
  CHECK(result.services[0].outcome == Outcome::kConverged);
  auto& lines = f.recorder.lines;
  auto first_stop = std::find_if(lines.begin(), lines.end(),
                                 [](const auto& l) { return l.rfind("task_stopped", 0) == 0; });
  auto n2_healthy = std::find(lines.begin(), lines.end(), "task_healthy web b n2");
  REQUIRE(first_stop != lines.end());
  REQUIRE(n2_healthy != lines.end());
  // One new task healthy allows one stop (the minimum holds); it did not wait for n2.
  CHECK(first_stop < n2_healthy);
  CHECK(std::count_if(lines.begin(), n2_healthy,
                      [](const auto& l) { return l.rfind("task_stopped", 0) == 0; }) == 1);
}

}  // namespace stowage::apply

namespace stowage::apply {
namespace {

// The names of service web's containers on `host` that are running.
std::vector<std::string> RunningNames(FakeEngine& engine) {
  std::vector<std::string> out;
  for (const auto& c : engine.Containers()) {
    if (c.summary.state == ContainerState::kRunning) out.push_back(c.summary.name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One step: o1 on a and o2 on b replaced by n1 and n2 (maximumPercent 200),
// on engines whose containers ignore SIGTERM.
void SlowStoppingRollout(Fixture& f) {
  f.AddOld("a", "o1", "r1");
  f.AddOld("b", "o2", "r1");
  f.Engine("a").SetIgnoresTerm(true);
  f.Engine("b").SetIgnoresTerm(true);
  f.options.settle = std::chrono::milliseconds(0);
  f.Step({Start("a", "n1"), Start("b", "n2"), Stop("a", "o1"), Stop("b", "o2")});
}

}  // namespace

TEST_CASE("the last step's stops are handed to the engines: apply returns while they stop",
          "[apply]") {
  Fixture f;
  SlowStoppingRollout(f);
  auto result = f.Run();
  REQUIRE(result.services.size() == 1);
  const auto& s = result.services[0];
  CHECK(s.outcome == Outcome::kConverged);
  CHECK(s.started == 2);
  CHECK(s.stopping == 2);
  CHECK(s.stopped == 0);
  CHECK(s.removed == 0);
  CHECK(result.ExitCode() == 0);
  // The old tasks still run (the engine kills them after their stop timeout),
  // retired: renamed with the deadline, so observed state has no task of theirs.
  auto a = RunningNames(f.Engine("a"));
  REQUIRE(a.size() == 2);
  CHECK(a[0] == "web.app.n1");
  CHECK(a[1].rfind("web.app.o1.retired-", 0) == 0);
  auto deadline = labels::RetiredDeadline(a[1]);
  REQUIRE(deadline);
  CHECK(*deadline >= UnixNow() + 29);
  CHECK(*deadline <= UnixNow() + 31);
  // (n2 on b may turn healthy first and let o1's stop begin before n1 starts.)
  auto log = f.Engine("a").CallLog();
  CHECK(std::count(log.begin(), log.end(), "begin stop " + a[1]) == 1);
  CHECK(f.recorder.Count("task_stopping web a o1 revision change") == 1);
  CHECK(f.recorder.Count("task_stopped") == 0);

  auto observed = observe::ObserveFleet(f.desired, f.factory);
  CHECK(observed.tasks.size() == 2);
  CHECK_FALSE(observed.FindTask("o1"));
  REQUIRE(observed.hosts[0].retired.size() == 1);
  CHECK(observed.hosts[0].retired[0].task == "o1");
  CHECK(observed.hosts[0].retired[0].running);
  const std::string before = observed.Fingerprint();

  // Nothing is due while they run; once the engine killed them they go.
  auto none = CleanUpRetired(f.desired.cluster, observed, f.factory, UnixNow());
  CHECK(none.removed + none.killed == 0);
  CHECK(f.Engine("a").FinishStops() == 1);
  CHECK(f.Engine("b").FinishStops() == 1);
  observed = observe::ObserveFleet(f.desired, f.factory);
  CHECK(observed.Fingerprint() == before);  // an exit of a retired container changes no plan
  auto done = CleanUpRetired(f.desired.cluster, observed, f.factory, UnixNow());
  CHECK(done.removed == 2);
  CHECK(done.killed == 0);
  CHECK(done.errors.empty());
  CHECK(f.Engine("a").Containers().size() == 1);
  CHECK(f.Engine("b").Containers().size() == 1);
}

TEST_CASE("a retired container still running past its deadline is killed and removed", "[apply]") {
  Fixture f;
  SlowStoppingRollout(f);
  REQUIRE(f.Run().services[0].stopping == 2);
  auto observed = observe::ObserveFleet(f.desired, f.factory);
  const std::int64_t deadline = observed.hosts[0].retired.at(0).deadline;
  auto early =
      CleanUpRetired(f.desired.cluster, observed, f.factory, deadline + kRetiredGraceSeconds);
  CHECK(early.killed == 0);
  auto late =
      CleanUpRetired(f.desired.cluster, observed, f.factory, deadline + kRetiredGraceSeconds + 1);
  CHECK(late.killed == 2);
  CHECK(RunningNames(f.Engine("a")) == std::vector<std::string>{"web.app.n1"});
  CHECK(f.Engine("a").Containers().size() == 1);
}

TEST_CASE("with --wait-stopped apply waits for every stop and removes the old tasks", "[apply]") {
  Fixture f;
  SlowStoppingRollout(f);
  f.options.wait_stopped = true;
  auto result = f.Run();
  const auto& s = result.services[0];
  CHECK(s.outcome == Outcome::kConverged);
  CHECK(s.stopping == 0);
  CHECK(s.stopped == 2);
  CHECK(s.removed == 2);
  CHECK(f.Engine("a").Containers().size() == 1);
  CHECK(f.Engine("a").CallCount(Method::kStop) == 1);
}

TEST_CASE("a handed-off stop that ends within the wait is removed at once", "[apply]") {
  Fixture f;
  SlowStoppingRollout(f);
  f.Engine("a").SetIgnoresTerm(false);
  auto result = f.Run();
  const auto& s = result.services[0];
  CHECK(s.outcome == Outcome::kConverged);
  CHECK(f.recorder.Count("task_stopped web a o1") == 1);
  CHECK(f.recorder.Count("task_stopping web b o2") == 1);
  CHECK(s.stopped == 1);   // o1 on a: stopped at once, removed
  CHECK(s.stopping == 1);  // o2 on b: left to the engine
  CHECK(s.removed == 1);
  CHECK(RunningNames(f.Engine("a")) == std::vector<std::string>{"web.app.n1"});
  CHECK(f.Engine("a").Containers().size() == 1);
  CHECK(f.Engine("b").Containers().size() == 2);
}

TEST_CASE("a rollback after a handed-off stop waits for it and restores the task's name",
          "[apply]") {
  Fixture f;
  SlowStoppingRollout(f);
  // n1 on a becomes healthy and o1's stop is handed off; n2 on b fails later.
  f.plan.services[0].steps[0].actions.pop_back();  // o2 stays
  f.Engine("b").SetStartOutcome(kImage, StartOutcome{1, std::nullopt});
  f.Engine("b").SetLatency(Method::kCreate, std::chrono::milliseconds(1000));
  f.Engine("a").SetLatency(Method::kList, std::chrono::milliseconds(50));
  // The engine's stop timeout runs out while the rollback waits for it.
  std::thread engine([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    f.Engine("a").FinishStops();
  });
  auto result = f.Run();
  engine.join();
  const auto& s = result.services[0];
  INFO(s.message);
  CHECK(s.outcome == Outcome::kFailed);
  CHECK(s.message.find("1 stopped old task(s) restarted") != std::string::npos);
  auto o1 = f.Engine("a").Find("web.app.o1");
  REQUIRE(o1);
  CHECK(o1->summary.state == ContainerState::kRunning);
  auto log = f.Engine("a").CallLog();
  CHECK(std::find_if(log.begin(), log.end(), [](const std::string& l) {
          return l.rfind("begin stop web.app.o1.retired-", 0) == 0;
        }) != log.end());
}

TEST_CASE("retired container names", "[apply]") {
  CHECK(labels::RetiredName("web.app.t1", 1764460800) == "web.app.t1.retired-1764460800");
  CHECK(labels::RetiredName("web.app.t1.retired-5", 7) == "web.app.t1.retired-7");
  CHECK(labels::RetiredDeadline("web.app.t1.retired-1764460800") == 1764460800);
  CHECK(labels::UnretiredName("web.app.t1.retired-1764460800") == "web.app.t1");
  CHECK_FALSE(labels::RetiredDeadline("web.app.t1"));
  CHECK_FALSE(labels::RetiredDeadline("web.app.t1.retired-"));
  CHECK_FALSE(labels::RetiredDeadline("web.app.t1.retired-12x"));
  CHECK_FALSE(labels::RetiredDeadline(".retired-12"));
  CHECK_FALSE(labels::RetiredDeadline("web.retired-99999999999999999999"));
  CHECK(labels::UnretiredName("web.app.t1") == "web.app.t1");
}

}  // namespace stowage::apply
