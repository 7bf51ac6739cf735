// The watcher's reconciler remembers when a host went down and what it ran.
#include <catch2/catch.hpp>

#include "runtime/fake/fake_runtime.h"
#include "support/temp_dir.h"
#include "watch/pipeline.h"

namespace stowage::watch {
namespace {

using namespace std::chrono_literals;

void WriteSource(const TempDir& dir) {
  dir.Write("cluster.yaml",
            "kind: Cluster\nname: prod\nunreachableGraceSeconds: 120\nhosts:\n"
            "  - name: h1\n    endpoint: default\n  - name: h2\n    endpoint: default\n"
            "  - name: h3\n    endpoint: default\n");
  dir.Write("web.yaml",
            "family: web\ncontainerDefinitions:\n  - name: app\n    image: busybox:1\n"
            "    cpu: 16\n    memory: 16\n---\nserviceName: web\ntaskDefinition: web\n"
            "desiredCount: 3\n");
}

int TasksOn(runtime::fake::FakeEngine& engine) {
  auto list = engine.List({{"io.stowage.service", "web"}});
  REQUIRE(list.ok());
  int running = 0;
  for (const auto& c : *list) running += c.state == runtime::ContainerState::kRunning ? 1 : 0;
  return running;
}

}  // namespace

TEST_CASE("watch replaces a down host's tasks only past the grace", "[watch][unreachable]") {
  runtime::fake::FakeRuntimeFactory factory;
  for (const char* h : {"h1", "h2", "h3"}) factory.Engine(h);
  TempDir dir;
  WriteSource(dir);
  auto source = NewDirectorySource(dir.path());
  PipelineOptions options;
  options.apply.settle = 0ms;
  options.apply.poll = 5ms;
  plan::PlanOptions::Time now{};
  options.now = [&now] { return now; };
  PipelineReconciler reconciler(factory, options);
  auto desired = reconciler.Load(*source);
  REQUIRE(desired.ok());
  std::atomic<bool> stop{false};
  REQUIRE(reconciler.Apply(*desired, stop).changes == 3);

  factory.Engine("h3")->SetUnreachable(true);
  now += 30s;  // first seen down
  ApplyOutcome within = reconciler.Apply(*desired, stop);
  CAPTURE(within.message);
  CHECK(within.changes == 0);
  CHECK(within.kind == ApplyOutcome::Kind::kPartial);
  CHECK(within.message.ends_with("); its tasks are left as they are"));
  now += 119s;
  CHECK(reconciler.Apply(*desired, stop).changes == 0);

  now += 1s;  // 120 s down
  ApplyOutcome past = reconciler.Apply(*desired, stop);
  CHECK(past.changes == 1);
  CHECK(past.message.ends_with("), down for 2m (grace 2m); its tasks are replaced on other hosts"));
  CHECK(TasksOn(*factory.Engine("h1")) + TasksOn(*factory.Engine("h2")) == 3);

  // Back: the surplus is scaled in.
  factory.Engine("h3")->SetUnreachable(false);
  now += 10s;
  ApplyOutcome back = reconciler.Apply(*desired, stop);
  CHECK(back.kind == ApplyOutcome::Kind::kConverged);
  CHECK(back.changes == 1);
  CHECK(back.services[0].running == 3);
}

}  // namespace stowage::watch
