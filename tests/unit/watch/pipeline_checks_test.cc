// The watcher loads through the same pipeline as `stowage validate` (the
// cluster-count and TLS checks included), and its /status and /metrics counts
// agree with `stowage status`.
#include <catch2/catch.hpp>

#include "check/validate_source.h"
#include "model/labels.h"
#include "observe/snapshot.h"
#include "render/status.h"
#include "runtime/fake/fake_runtime.h"
#include "status/fleet_status.h"
#include "support/temp_dir.h"
#include "watch/pipeline.h"
#include "watch/watch_state.h"

namespace stowage::watch {
namespace {

using namespace std::chrono_literals;

const char* kCluster =
    "kind: Cluster\nname: prod\nhosts:\n  - name: h1\n    endpoint: default\n"
    "  - name: h2\n    endpoint: default\n";

const char* kWeb =
    "family: web\ncontainerDefinitions:\n  - name: app\n    image: busybox:1\n"
    "    cpu: 16\n    memory: 16\n---\nserviceName: web\ntaskDefinition: web\ndesiredCount: 2\n";

PipelineOptions Fast() {
  PipelineOptions o;
  o.apply.settle = 0ms;
  o.apply.poll = 5ms;
  return o;
}

// What `stowage validate` says about the directory, as its first error.
std::string ValidateError(const TempDir& dir) {
  auto source = NewDirectorySource(dir.path());
  auto v = check::ValidateSource(*source);
  for (const auto& d : v.diagnostics.items()) {
    if (d.severity == Severity::kError) return FormatDiagnostic(d);
  }
  return "";
}

}  // namespace

TEST_CASE("a watched revision with two cluster documents is invalid, as validate says", "[watch]") {
  runtime::fake::FakeRuntimeFactory factory;
  TempDir dir;
  dir.Write("cluster.yaml", kCluster);
  dir.Write("web.yaml", kWeb);
  dir.Write("other/cluster.yaml", kCluster);
  auto source = NewDirectorySource(dir.path());
  std::vector<std::string> followed;
  PipelineReconciler reconciler(factory, Fast(),
                                [&](const model::Cluster& c) { followed.push_back(c.name); });
  auto loaded = reconciler.Load(*source);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == Status::Code::kInvalid);
  CHECK(loaded.status().message() ==
        "other/cluster.yaml:1:1: error: kind: a source holds exactly one cluster document, the "
        "first is "
        "at cluster.yaml:1:1");
  CHECK(loaded.status().message() == ValidateError(dir));
  CHECK(followed.empty());
}

TEST_CASE("a watched revision without a cluster document is invalid, as validate says", "[watch]") {
  runtime::fake::FakeRuntimeFactory factory;
  TempDir dir;
  dir.Write("web.yaml", kWeb);
  auto source = NewDirectorySource(dir.path());
  PipelineReconciler reconciler(factory, Fast());
  auto loaded = reconciler.Load(*source);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().message() ==
        "error: no cluster document: add one (kind: Cluster, conventionally cluster.yaml) listing "
        "the "
        "hosts");
  CHECK(loaded.status().message() == ValidateError(dir));
}

TEST_CASE("watch checks TLS files as validate does: relative to the cluster file, regular files",
          "[watch]") {
  runtime::fake::FakeRuntimeFactory factory;
  TempDir dir;
  dir.Write("web.yaml", kWeb);
  dir.Write("cluster.yaml",
            "kind: Cluster\nname: prod\nhosts:\n  - name: h1\n    endpoint: tcp://10.0.0.1:2376\n"
            "    tls: { ca: certs/ca.pem, cert: certs/cert.pem, key: certs/key.pem }\n");
  dir.Write("certs/ca.pem", "ca");
  dir.Write("certs/cert.pem", "cert");
  dir.Write("certs/key.pem/x", "a directory, not a key file");
  auto source = NewDirectorySource(dir.path());
  PipelineReconciler reconciler(factory, Fast());
  auto loaded = reconciler.Load(*source);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().message() ==
        "cluster.yaml:6:57: error: hosts[0].tls.key: \"certs/key.pem\": not a regular file");
  CHECK(loaded.status().message() == ValidateError(dir));

  std::filesystem::remove_all(dir.path() + "/certs/key.pem");
  dir.Write("certs/key.pem", "key");
  CHECK(reconciler.Load(*source).ok());
}

TEST_CASE("/metrics, /status and stowage status agree on running and healthy tasks", "[watch]") {
  runtime::fake::FakeRuntimeFactory factory;
  factory.Engine("h1");
  factory.Engine("h2");
  for (const char* h : {"h1", "h2"}) {
    factory.Engine(h)->SetStartOutcome(
        "checked:1", {.exit_code = std::nullopt, .health = runtime::Health::kHealthy});
  }
  TempDir dir;
  dir.Write("cluster.yaml", kCluster);
  dir.Write("plain.yaml",
            "family: plain\ncontainerDefinitions:\n  - name: app\n    image: busybox:1\n"
            "    cpu: 16\n    memory: 16\n---\nserviceName: plain\ntaskDefinition: plain\n"
            "desiredCount: 2\n");
  dir.Write("checked.yaml",
            "family: checked\ncontainerDefinitions:\n  - name: app\n    image: checked:1\n"
            "    cpu: 16\n    memory: 16\n    healthCheck:\n      command: [CMD, 'true']\n"
            "---\nserviceName: checked\ntaskDefinition: checked\ndesiredCount: 2\n");
  auto source = NewDirectorySource(dir.path());
  PipelineReconciler reconciler(factory, Fast());
  auto desired = reconciler.Load(*source);
  REQUIRE(desired.ok());
  std::atomic<bool> stop{false};
  REQUIRE(reconciler.Apply(*desired, stop).kind == ApplyOutcome::Kind::kConverged);

  // One checked task's health check goes back to starting: running, not healthy.
  auto on_h1 = factory.Engine("h1")->List({{labels::kService, "checked"}});
  REQUIRE(on_h1.ok());
  REQUIRE_FALSE(on_h1->empty());
  REQUIRE(factory.Engine("h1")->SetHealth(on_h1->front().id, runtime::Health::kStarting).ok());

  ApplyOutcome outcome = reconciler.Apply(*desired, stop);
  CHECK(outcome.changes == 0);
  REQUIRE(outcome.services.size() == 2);
  CHECK(outcome.services[0].service == "checked");
  CHECK(outcome.services[0].running == 2);
  CHECK(outcome.services[0].healthy == 1);
  CHECK(outcome.services[1].service == "plain");
  CHECK(outcome.services[1].running == 2);
  CHECK(outcome.services[1].healthy == 2);  // no health check: running is healthy

  // `stowage status`: the same counts from its own look at the fleet.
  auto status =
      render::StatusJson(status::BuildStatus(*desired, observe::ObserveFleet(*desired, factory)));
  WatchState state;
  state.services = outcome.services;
  state.fleet_status = outcome.fleet_status;
  const std::string metrics = RenderMetrics(state);
  const auto watch_status = StatusJson(state);
  for (int i = 0; i < 2; ++i) {
    const auto& row = outcome.services[static_cast<std::size_t>(i)];
    CAPTURE(row.service);
    CHECK(status["services"][i]["service"] == row.service);
    CHECK(status["services"][i]["running"] == row.running);
    CHECK(status["services"][i]["healthy"] == row.healthy);
    CHECK(watch_status["services"][i]["running"] == row.running);
    CHECK(watch_status["services"][i]["healthy"] == row.healthy);
    CHECK(watch_status["watch"]["services"][i]["running"] == row.running);
    CHECK(watch_status["watch"]["services"][i]["healthy"] == row.healthy);
    CHECK(metrics.find("stowage_service_running_tasks{service=\"" + row.service + "\"} " +
                       std::to_string(row.running) + "\n") != std::string::npos);
    CHECK(metrics.find("stowage_service_healthy_tasks{service=\"" + row.service + "\"} " +
                       std::to_string(row.healthy) + "\n") != std::string::npos);
  }
}

}  // namespace stowage::watch
