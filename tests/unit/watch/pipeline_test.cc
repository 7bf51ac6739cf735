#include <catch2/catch.hpp>

#include "history/store.h"
#include "model/labels.h"
#include "runtime/fake/fake_runtime.h"
#include "support/temp_dir.h"
#include "watch/pipeline.h"

namespace stowage::watch {
namespace {

using namespace std::chrono_literals;

void WriteSource(const TempDir& dir, const std::string& count) {
  dir.Write("cluster.yaml",
            "kind: Cluster\nname: prod\nhosts:\n  - name: h1\n    endpoint: default\n"
            "  - name: h2\n    endpoint: default\n");
  dir.Write("web.yaml",
            "family: web\ncontainerDefinitions:\n  - name: app\n    image: busybox:1\n"
            "    cpu: 16\n    memory: 16\n---\nserviceName: web\ntaskDefinition: web\n"
            "desiredCount: " +
                count + "\n");
}

PipelineOptions Fast() {
  PipelineOptions o;
  o.apply.settle = 0ms;
  o.apply.poll = 5ms;
  return o;
}

}  // namespace

TEST_CASE("pipeline reconciler loads, rejects invalid sources and converges", "[watch]") {
  runtime::fake::FakeRuntimeFactory factory;
  factory.Engine("h1");
  factory.Engine("h2");
  TempDir dir;
  WriteSource(dir, "three");
  auto source = NewDirectorySource(dir.path());
  std::vector<std::string> clusters;
  PipelineReconciler reconciler(factory, Fast(),
                                [&](const model::Cluster& c) { clusters.push_back(c.name); });
  auto invalid = reconciler.Load(*source);
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.status().code() == Status::Code::kInvalid);
  CHECK(invalid.status().message().rfind("web.yaml:", 0) == 0);
  CHECK(clusters.empty());

  WriteSource(dir, "3");
  auto desired = reconciler.Load(*source);
  REQUIRE(desired.ok());
  CHECK(clusters == std::vector<std::string>{"prod"});
  std::atomic<bool> stop{false};
  ApplyOutcome outcome = reconciler.Apply(*desired, stop);
  CHECK(outcome.kind == ApplyOutcome::Kind::kConverged);
  CHECK(outcome.message == "");
  CHECK(outcome.changes == 3);
  REQUIRE(outcome.services.size() == 1);
  CHECK(outcome.services[0].desired == 3);
  CHECK(outcome.services[0].running == 3);
  CHECK(outcome.hosts == std::map<std::string, bool>{{"h1", true}, {"h2", true}});
  CHECK(outcome.fleet_status.is_object());
  // The deploy history rides along for /status and the status page.
  REQUIRE(outcome.fleet_status["history"].size() == 1);
  CHECK(outcome.fleet_status["history"][0]["outcome"] == "converged");
  CHECK(outcome.fleet_status["history"][0]["revision"] == desired->source_revision);

  ApplyOutcome again = reconciler.Apply(*desired, stop);
  CHECK(again.kind == ApplyOutcome::Kind::kConverged);
  CHECK(again.changes == 0);
  // Nothing changed, nothing recorded: the one record, as read from the engines.
  REQUIRE(again.fleet_status["history"].size() == 1);
  CHECK(again.fleet_status["history"][0] == outcome.fleet_status["history"][0]);
}

TEST_CASE("the history rows merge the records read with those written, newest first, 20 at most",
          "[watch][history]") {
  auto record = [](const std::string& id, std::int64_t time) {
    history::Record r;
    r.id = id;
    r.time = time;
    r.revision = "rev-" + id;
    return r;
  };
  std::vector<history::Record> read;
  for (int i = 0; i < 25; ++i) read.push_back(record("r" + std::to_string(i), 1000 + i));
  // A record written by this reconcile, and one that another reader saw too.
  auto rows = HistoryRows(read, {record("new", 5000), record("r24", 1024)});
  REQUIRE(rows.size() == 20);
  CHECK(rows[0]["revision"] == "rev-new");
  CHECK(rows[0]["at"] == 5.0);
  CHECK(rows[1]["revision"] == "rev-r24");
  CHECK(rows[2]["revision"] == "rev-r23");
  CHECK(rows[19]["revision"] == "rev-r6");
}

TEST_CASE("pipeline counts a DAEMON service's desired tasks as the hosts it is placed on",
          "[watch]") {
  runtime::fake::FakeRuntimeFactory factory;
  for (const char* h : {"h1", "h2", "h3"}) factory.Engine(h);
  TempDir dir;
  dir.Write("cluster.yaml",
            "kind: Cluster\nname: prod\nhosts:\n"
            "  - name: h1\n    endpoint: default\n    attributes: { zone: a }\n"
            "  - name: h2\n    endpoint: default\n    attributes: { zone: b }\n"
            "  - name: h3\n    endpoint: default\n    attributes: { zone: a }\n");
  dir.Write("agent.yaml",
            "family: agent\ncontainerDefinitions:\n  - name: app\n    image: busybox:1\n"
            "    cpu: 16\n    memory: 16\n---\nserviceName: agent\ntaskDefinition: agent\n"
            "schedulingStrategy: DAEMON\n"
            "placementConstraints:\n  - type: memberOf\n    expression: attribute:zone == a\n");
  auto source = NewDirectorySource(dir.path());
  PipelineReconciler reconciler(factory, Fast());
  auto desired = reconciler.Load(*source);
  REQUIRE(desired.ok());
  std::atomic<bool> stop{false};
  ApplyOutcome outcome = reconciler.Apply(*desired, stop);
  CHECK(outcome.kind == ApplyOutcome::Kind::kConverged);
  REQUIRE(outcome.services.size() == 1);
  CHECK(outcome.services[0].service == "agent");
  CHECK(outcome.services[0].desired == 2);  // h1 and h3, not the cluster's 3 hosts nor 0
  CHECK(outcome.services[0].running == 2);
  CHECK(outcome.fleet_status["services"][0]["desired"] == 2);
}

TEST_CASE("a rolled-back revision stays quarantined for a restarted watcher; a newer one deploys",
          "[watch][history]") {
  runtime::fake::FakeRuntimeFactory factory;
  factory.Engine("h1");
  factory.Engine("h2");
  TempDir dir;
  auto write = [&](const std::string& image, int count) {
    dir.Write("cluster.yaml",
              "kind: Cluster\nname: prod\nhosts:\n  - name: h1\n    endpoint: default\n"
              "  - name: h2\n    endpoint: default\n");
    dir.Write("web.yaml",
              "family: web\ncontainerDefinitions:\n  - name: app\n    image: " + image +
                  "\n    cpu: 16\n    memory: 16\n---\nserviceName: web\ntaskDefinition: web\n"
                  "desiredCount: " +
                  std::to_string(count) +
                  "\ndeploymentConfiguration:\n  deploymentCircuitBreaker: { enable: true, "
                  "rollback: true }\n");
  };
  for (const char* h : {"h1", "h2"}) {
    factory.Engine(h)->SetStartOutcome("bad:1", runtime::fake::StartOutcome{1, std::nullopt});
  }
  auto source = NewDirectorySource(dir.path());
  std::atomic<bool> stop{false};
  auto creates = [&] {
    int n = 0;
    for (const char* h : {"h1", "h2"}) {
      for (const auto& line : factory.Engine(h)->CallLog()) n += line.rfind("create web.", 0) == 0;
    }
    return n;
  };
  std::string bad_revision;
  {
    PipelineReconciler first(factory, Fast());
    write("busybox:1", 2);
    auto good = first.Load(*source);
    REQUIRE(good.ok());
    CHECK(first.Apply(*good, stop).kind == ApplyOutcome::Kind::kConverged);
    write("bad:1", 2);
    auto bad = first.Load(*source);
    REQUIRE(bad.ok());
    bad_revision = bad->source_revision;
    CHECK(first.Apply(*bad, stop).kind == ApplyOutcome::Kind::kRolledBack);
  }
  model::Cluster cluster;
  cluster.name = "prod";
  cluster.hosts.resize(2);
  cluster.hosts[0].name = "h1";
  cluster.hosts[1].name = "h2";
  auto h = history::ReadHistory(cluster, factory);
  REQUIRE(h.ok());
  REQUIRE(h->records.size() == 2);
  CHECK(h->records[0].outcome == history::Outcome::kRolledBack);
  CHECK(h->records[0].revision == bad_revision);
  CHECK(h->records[0].by.rfind("watcher@", 0) == 0);
  CHECK(h->records[0].command == "watch");
  CHECK(h->records[1].outcome == history::Outcome::kConverged);
  // The web containers carry the revision they were deployed from.
  for (const auto& c : factory.Engine("h1")->Containers()) {
    if (c.summary.labels.count(labels::kService)) {
      CHECK(c.summary.labels.at(labels::kCommit) == h->records[1].revision);
    }
  }

  // A restarted watcher (a new reconciler, nothing in memory) on the same
  // failed revision: nothing is started.
  PipelineReconciler restarted(factory, Fast());
  auto bad = restarted.Load(*source);
  REQUIRE(bad.ok());
  const int before = creates();
  ApplyOutcome again = restarted.Apply(*bad, stop);
  CHECK(again.kind == ApplyOutcome::Kind::kRolledBack);
  CHECK(again.message.rfind("not deployed again: the deploy history records it rolled back: web: "
                            "rolled back: circuit breaker",
                            0) == 0);
  CHECK(creates() == before);
  // A newer revision deploys.
  write("busybox:1", 3);
  auto newer = restarted.Load(*source);
  REQUIRE(newer.ok());
  CHECK(restarted.Apply(*newer, stop).kind == ApplyOutcome::Kind::kConverged);
  CHECK(creates() == before + 1);
}

}  // namespace stowage::watch
