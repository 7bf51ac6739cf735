#include <catch2/catch.hpp>
#include <deque>
#include <thread>

#include "support/temp_dir.h"
#include "watch/watcher.h"

namespace stowage::watch {
namespace {

using namespace std::chrono_literals;

// A directory whose Refresh can be made to fail, like a git remote that went away.
class FlakySource : public Source {
 public:
  explicit FlakySource(const std::string& dir) : dir_(NewDirectorySource(dir)) {}
  Result<std::vector<std::string>> List() override { return dir_->List(); }
  Result<std::string> Read(const std::string& p) override { return dir_->Read(p); }
  Result<std::string> Revision() override { return dir_->Revision(); }
  std::string Describe() const override { return "flaky"; }
  Status Refresh() override {
    ++refreshes;
    return unreachable ? Status::Unreachable("remote is down") : Status::Ok();
  }
  bool unreachable = false;
  int refreshes = 0;

 private:
  std::unique_ptr<Source> dir_;
};

// Invalid when a file says "invalid"; Apply answers from a script, then converges.
class ScriptedReconciler : public Reconciler {
 public:
  Result<model::DesiredState> Load(Source& source) override {
    ++loads;
    auto files = source.List();
    for (const auto& f : *files) {
      if (source.Read(f)->find("invalid") != std::string::npos) {
        return Status::Invalid(f + ":1:1: invalid document");
      }
    }
    model::DesiredState d;
    d.source_revision = *source.Revision();
    return d;
  }
  ApplyOutcome Apply(const model::DesiredState& desired, const std::atomic<bool>&) override {
    applied.push_back(desired.source_revision);
    ApplyOutcome o;
    if (!script.empty()) {
      o = script.front();
      script.pop_front();
    }
    o.services = {{"web", 2, 2, 2}};
    o.hosts = {{"h1", true}};
    return o;
  }
  int loads = 0;
  std::vector<std::string> applied;
  std::deque<ApplyOutcome> script;
};

ApplyOutcome Outcome(ApplyOutcome::Kind kind, const std::string& message = "") {
  ApplyOutcome o;
  o.kind = kind;
  o.message = message;
  o.changes = 1;
  return o;
}

struct Fixture {
  TempDir dir;
  FlakySource source{dir.path()};
  ScriptedReconciler reconciler;
  TimePoint t{};
  std::atomic<bool> stop{false};
  WatchOptions options = [] {
    WatchOptions o;
    o.interval = 15s;
    o.resync = 60s;
    o.jitter = 0;
    return o;
  }();
  Watcher watcher{source, reconciler, options, [this] { return t; }};

  Fixture() { dir.Write("a.yaml", "v: 1\n"); }
  std::string Rev() { return *source.Revision(); }
  TimePoint Step() { return watcher.Step(stop); }
  void At(std::chrono::milliseconds d) { t = TimePoint{} + d; }
};

}  // namespace

TEST_CASE("watcher applies a new revision once, then resyncs", "[watch]") {
  Fixture f;
  CHECK(f.Step() == TimePoint{} + 15s);
  const std::string r1 = f.Rev();
  CHECK(f.reconciler.applied == std::vector<std::string>{r1});
  f.At(15s);
  CHECK(f.Step() == TimePoint{} + 30s);
  CHECK(f.reconciler.applied.size() == 1);  // same revision: nothing to do
  CHECK(f.reconciler.loads == 1);
  f.At(60s);
  f.Step();
  CHECK(f.reconciler.applied == std::vector<std::string>{r1, r1});  // resync heals drift
  CHECK(f.reconciler.loads == 1);

  f.dir.Write("a.yaml", "v: 2\n");
  f.At(75s);
  f.Step();
  CHECK(f.reconciler.applied.back() == f.Rev());
  auto s = f.watcher.State();
  CHECK(s->revision_applied == f.Rev());
  CHECK(s->runs.at("converged") == 3);
  CHECK(s->last_error.empty());
  // Readers share one snapshot until the state changes; a held one stays as it was.
  CHECK(f.watcher.State() == s);
  f.At(90s);
  f.Step();
  auto next = f.watcher.State();
  CHECK(next != s);
  CHECK(next->version > s->version);
  CHECK(s->runs.at("converged") == 3);
}

TEST_CASE("watcher skips an invalid revision and keeps the last good one", "[watch]") {
  Fixture f;
  f.Step();
  const std::string good = f.Rev();
  f.dir.Write("b.yaml", "invalid\n");
  const std::string bad = f.Rev();
  f.At(15s);
  f.Step();
  CHECK(f.reconciler.applied == std::vector<std::string>{good});
  auto s = f.watcher.State();
  CHECK(s->last_error == "b.yaml:1:1: invalid document");
  CHECK(s->last_error_revision == bad);
  CHECK(s->revision_seen == bad);
  CHECK(s->revision_applied == good);
  CHECK(s->failed_revisions.at(bad) == "b.yaml:1:1: invalid document");
  CHECK(s->runs.at("invalid") == 1);
  CHECK(RenderMetrics(*s).find("stowage_revision_failed 1\n") != std::string::npos);

  f.At(30s);
  f.Step();
  CHECK(f.reconciler.loads == 2);  // not loaded again
  f.At(61s);
  f.Step();
  CHECK(f.reconciler.applied == std::vector<std::string>{good, good});  // drift healed with good

  f.dir.Write("b.yaml", "fixed: true\n");
  f.At(62s);
  f.watcher.Poke(Poke::kFetch);  // webhook
  f.Step();
  CHECK(f.reconciler.applied.back() == f.Rev());
  CHECK(f.watcher.State()->last_error.empty());
}

TEST_CASE("watcher marks a rolled back revision failed and does not retry it", "[watch]") {
  Fixture f;
  f.Step();
  const std::string good = f.Rev();
  f.dir.Write("a.yaml", "v: broken-image\n");
  const std::string bad = f.Rev();
  f.reconciler.script.push_back(Outcome(ApplyOutcome::Kind::kRolledBack, "web: circuit breaker"));
  f.At(15s);
  f.Step();
  CHECK(f.reconciler.applied == std::vector<std::string>{good, bad});
  auto s = f.watcher.State();
  CHECK(s->failed_revisions.count(bad) == 1);
  CHECK(s->last_error == "rolled back: web: circuit breaker");
  CHECK(s->deployments.at("rolled_back") == 1);
  f.At(30s);
  f.Step();
  f.At(80s);
  f.Step();
  CHECK(f.reconciler.applied == std::vector<std::string>{good, bad, good});
  // The resync of the last good revision went well; the failure stays visible.
  s = f.watcher.State();
  CHECK(s->last_error.empty());
  CHECK(s->failed_revisions.at(bad) == "rolled back: web: circuit breaker");
  CHECK(StatusJson(*s)["watch"]["failed_revisions"][bad] == "rolled back: web: circuit breaker");
  CHECK(RenderMetrics(*s).find("stowage_revision_failed 1\n") != std::string::npos);
  f.dir.Write("a.yaml", "v: 3\n");
  f.At(95s);
  f.Step();
  CHECK(f.reconciler.applied.back() == f.Rev());
}

TEST_CASE("watcher backs off while the remote is down and recovers", "[watch]") {
  Fixture f;
  f.Step();
  f.source.unreachable = true;
  f.At(15s);
  CHECK(f.Step() == TimePoint{} + 30s);  // 15 s: first failure waits one interval
  f.At(30s);
  CHECK(f.Step() == TimePoint{} + 60s);  // then 30 s
  f.At(45s);
  f.Step();
  CHECK(f.source.refreshes == 3);  // nothing fetched before the backoff ran out
  CHECK(f.watcher.State()->fetch_errors == 2);
  CHECK(f.watcher.State()->last_error == "fetch: remote is down");
  f.source.unreachable = false;
  f.dir.Write("a.yaml", "v: 2\n");
  f.At(60s);
  f.Step();
  CHECK(f.reconciler.applied.back() == f.Rev());
  f.At(75s);
  f.Step();
  CHECK(f.source.refreshes == 5);  // back to every interval
}

TEST_CASE("watcher retries a failed apply with backoff", "[watch]") {
  Fixture f;
  f.reconciler.script.push_back(Outcome(ApplyOutcome::Kind::kError, "lock held by ci"));
  f.reconciler.script.push_back(Outcome(ApplyOutcome::Kind::kError, "lock held by ci"));
  CHECK(f.Step() == TimePoint{} + 15s);
  CHECK(f.watcher.State()->last_error == "lock held by ci");
  f.At(15s);
  CHECK(f.Step() == TimePoint{} + 30s);  // retried at 15 s, failed again: 30 s more
  CHECK(f.reconciler.applied.size() == 2);
  f.At(45s);
  f.Step();
  CHECK(f.reconciler.applied.size() == 3);
  CHECK(f.watcher.State()->revision_applied == f.Rev());
  CHECK(f.reconciler.loads == 1);
}

TEST_CASE("watcher reconciles at once when poked", "[watch]") {
  Fixture f;
  f.Step();
  f.At(1s);
  f.Step();
  CHECK(f.reconciler.applied.size() == 1);
  f.watcher.Poke(Poke::kDrift);
  f.Step();
  CHECK(f.reconciler.applied.size() == 2);
  CHECK(f.source.refreshes == 1);
  f.watcher.Poke(Poke::kFetch);
  f.Step();
  CHECK(f.source.refreshes == 2);
  f.stop = true;
  f.watcher.Poke(Poke::kReconcile);
  f.Step();
  CHECK(f.reconciler.applied.size() == 2);
}

TEST_CASE("watcher run returns when stopped", "[watch]") {
  TempDir dir;
  dir.Write("a.yaml", "v: 1\n");
  FlakySource source(dir.path());
  ScriptedReconciler reconciler;
  Watcher watcher(source, reconciler, WatchOptions{});
  std::atomic<bool> stop{false};
  std::thread t([&] { watcher.Run(stop); });
  while (watcher.State()->runs.empty()) std::this_thread::sleep_for(1ms);
  watcher.Poke(Poke::kReconcile);
  while (watcher.State()->runs.at("converged") < 2) std::this_thread::sleep_for(1ms);
  stop = true;
  watcher.Wake();
  t.join();
  CHECK(reconciler.applied.size() == 2);
}

TEST_CASE("metrics are in the Prometheus text format", "[watch]") {
  WatchState s;
  s.revision_seen = "abc";
  s.revision_applied = "abc";
  s.applied_at = 1700000000;
  s.runs = {{"converged", 2}, {"invalid", 1}};
  s.deployments = {{"converged", 1}};
  s.last_error = "a.yaml:1:2: bad \"x\"\nmore";
  s.last_error_revision = "def";
  s.services = {{"web", 3, 2, 1}};
  s.hosts = {{"h1", true}, {"h2", false}};
  s.duration_sum = 1.5;
  s.duration_count = 2;
  s.last_duration = 0.5;
  const std::string m = RenderMetrics(s);
  CHECK(m.find("# TYPE stowage_reconcile_runs_total counter\n"
               "stowage_reconcile_runs_total{outcome=\"converged\"} 2\n"
               "stowage_reconcile_runs_total{outcome=\"invalid\"} 1\n") != std::string::npos);
  CHECK(m.find("stowage_reconcile_duration_seconds_sum 1.5\n"
               "stowage_reconcile_duration_seconds_count 2\n") != std::string::npos);
  CHECK(m.find("stowage_last_applied_info{revision=\"abc\"} 1\n") != std::string::npos);
  CHECK(m.find("stowage_last_error_info{revision=\"def\",message=\"a.yaml:1:2: bad "
               "\\\"x\\\"\\nmore\"} 1\n") != std::string::npos);
  CHECK(m.find("stowage_service_desired_tasks{service=\"web\"} 3\n") != std::string::npos);
  CHECK(m.find("stowage_service_healthy_tasks{service=\"web\"} 1\n") != std::string::npos);
  CHECK(m.find("stowage_host_up{host=\"h2\"} 0\n") != std::string::npos);
  CHECK(m.find("stowage_revision_failed 0\n") != std::string::npos);
  // Timestamps in full (not 1.7e+09), fractions kept.
  CHECK(m.find("stowage_last_applied_timestamp_seconds 1700000000\n") != std::string::npos);
  s.applied_at = 1795950123.25;
  CHECK(RenderMetrics(s).find("stowage_last_applied_timestamp_seconds 1795950123.25\n") !=
        std::string::npos);
  CHECK(StatusJson(s)["watch"]["last_error"]["revision"] == "def");
  CHECK(StatusJson(s)["watch"]["services"][0]["desired"] == 3);
  s.fleet_status = {{"cluster", "prod"}};
  CHECK(StatusJson(s)["cluster"] == "prod");
  // Old tasks still stopping, from the status document (none before it has them).
  CHECK(RenderMetrics(s).find("stowage_service_stopping_tasks{") == std::string::npos);
  s.fleet_status["services"] = {{{"service", "web"}, {"stopping", 3}}, {{"service", "api"}}};
  const std::string with_old = RenderMetrics(s);
  CHECK(with_old.find("# TYPE stowage_service_stopping_tasks gauge\n"
                      "stowage_service_stopping_tasks{service=\"web\"} 3\n# HELP") !=
        std::string::npos);
  CHECK(StatusJson(s)["watch"]["revision_applied"] == "abc");
}

}  // namespace stowage::watch

namespace stowage::watch {

TEST_CASE("watcher announces each release of a new revision, and invalid ones, not resyncs",
          "[watch][notify]") {
  Fixture f;
  std::vector<std::string> events;
  WatchOptions options = f.options;
  options.on_release = [&](const notify::ReleaseEvent& e) {
    events.push_back(std::string(notify::EventName(e.kind)) + " " + e.revision.substr(0, 4) +
                     (e.message.empty() ? "" : " " + e.message));
  };
  Watcher watcher{f.source, f.reconciler, options, [&f] { return f.t; }};
  const std::string r1 = f.Rev().substr(0, 4);
  watcher.Step(f.stop);
  CHECK(events == std::vector<std::string>{"release.started " + r1, "release.succeeded " + r1});
  f.At(60s);
  watcher.Step(f.stop);  // resync: no event
  CHECK(events.size() == 2);

  f.dir.Write("a.yaml", "v: 2\n");
  const std::string r2 = f.Rev().substr(0, 4);
  f.reconciler.script.push_back(Outcome(ApplyOutcome::Kind::kRolledBack, "web: rolled back"));
  f.At(75s);
  watcher.Step(f.stop);
  REQUIRE(events.size() == 4);
  CHECK(events[2] == "release.started " + r2);
  CHECK(events[3] == "release.rolled_back " + r2 + " web: rolled back");

  f.dir.Write("a.yaml", "invalid\n");
  const std::string r3 = f.Rev().substr(0, 4);
  f.At(90s);
  watcher.Step(f.stop);
  REQUIRE(events.size() == 5);
  CHECK(events[4] == "commit.invalid " + r3 + " a.yaml:1:1: invalid document");
}

}  // namespace stowage::watch
