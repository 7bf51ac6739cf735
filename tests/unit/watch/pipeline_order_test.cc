// The watcher deploys in dependency order like apply: a failing migration
// keeps its service back (an error, retried), a fixed one lets it through.
#include <catch2/catch.hpp>

#include "runtime/fake/fake_runtime.h"
#include "support/temp_dir.h"
#include "watch/pipeline.h"

namespace stowage::watch {
namespace {

using namespace std::chrono_literals;

std::string Family(const std::string& name, const std::string& image) {
  return "family: " + name + "\ncontainerDefinitions:\n  - name: app\n    image: " + image +
         "\n    cpu: 16\n    memory: 16\n---\n";
}

}  // namespace

TEST_CASE("watch follows the release order: a failing migration keeps api back", "[watch][order]") {
  runtime::fake::FakeRuntimeFactory factory;
  auto engine = factory.Engine("h1");
  engine->SetStartOutcome("migrate:1", {1, std::nullopt});
  TempDir dir;
  dir.Write("cluster.yaml",
            "kind: Cluster\nname: prod\nhosts:\n  - name: h1\n    endpoint: default\n");
  dir.Write("tasks.yaml", Family("db", "db:1") + Family("api", "api:1") +
                              "family: migrate\ncontainerDefinitions:\n  - name: app\n"
                              "    image: migrate:1\n    memory: 16\n");
  dir.Write("services.yaml",
            "serviceName: db\ntaskDefinition: db\ndesiredCount: 1\n---\n"
            "serviceName: api\ntaskDefinition: api\ndesiredCount: 1\ndependsOn:\n"
            "  - {service: db, condition: HEALTHY}\n"
            "  - {taskDefinition: migrate, condition: SUCCESS}\n");
  auto source = NewDirectorySource(dir.path());
  PipelineOptions options;
  options.apply.settle = 0ms;
  options.apply.poll = 5ms;
  PipelineReconciler reconciler(factory, options, [](const model::Cluster&) {});
  auto desired = reconciler.Load(*source);
  REQUIRE(desired.ok());
  std::atomic<bool> stop{false};
  ApplyOutcome failed = reconciler.Apply(*desired, stop);
  CHECK(failed.kind == ApplyOutcome::Kind::kError);
  CHECK(failed.message ==
        "api: not deployed (depends on task migrate, which failed: app exited 1)");

  engine->SetStartOutcome("migrate:1", {0, std::nullopt});
  ApplyOutcome fixed = reconciler.Apply(*desired, stop);
  CHECK(fixed.kind == ApplyOutcome::Kind::kConverged);
  CHECK(fixed.message == "");
}

}  // namespace stowage::watch
