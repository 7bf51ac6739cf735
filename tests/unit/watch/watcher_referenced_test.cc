// A watched directory reacts to a change of a file its documents reference
// (an age secret file, a cluster TLS file), not only at resync; and the first
// load, which tells the source those files, is not taken for a new revision.
#include <catch2/catch.hpp>

#include "load/load_source.h"
#include "support/temp_dir.h"
#include "watch/watcher.h"

namespace stowage::watch {
namespace {

using namespace std::chrono_literals;

// Loads through the real loader (which names the referenced files to the source).
class LoadingReconciler : public Reconciler {
 public:
  Result<model::DesiredState> Load(Source& source) override {
    ++loads;
    return load::LoadSource(source).state;
  }
  ApplyOutcome Apply(const model::DesiredState& desired, const std::atomic<bool>&) override {
    applied.push_back(desired.source_revision);
    return ApplyOutcome{};
  }
  int loads = 0;
  std::vector<std::string> applied;
};

}  // namespace

TEST_CASE("a watched directory reloads when an age or TLS file changes", "[watch]") {
  TempDir dir;
  dir.Write("cluster.yaml", R"(kind: Cluster
name: prod
hosts:
  - name: h1
    endpoint: tcp://10.0.0.6:2376
    tls: {ca: certs/ca.pem, cert: certs/cert.pem, key: certs/key.pem}
)");
  dir.Write("web.yaml", R"(family: web
containerDefinitions:
  - name: app
    image: nginx:1
    memory: 64
    secrets: [{name: DB, valueFrom: "age:secrets/prod.env.age#DB"}]
)");
  for (const char* f : {"ca", "cert", "key"}) dir.Write(std::string("certs/") + f + ".pem", f);
  dir.Write("secrets/prod.env.age", "age 1");
  auto source = NewDirectorySource(dir.path());
  LoadingReconciler reconciler;
  WatchOptions options;
  options.interval = 15s;
  options.resync = 600s;
  options.jitter = 0;
  TimePoint t{};
  std::atomic<bool> stop{false};
  Watcher watcher(*source, reconciler, options, [&] { return t; });

  watcher.Step(stop);
  REQUIRE(reconciler.applied.size() == 1);
  t = TimePoint{} + 15s;
  watcher.Step(stop);
  CHECK(reconciler.loads == 1);  // nothing changed: no second load
  CHECK(reconciler.applied.size() == 1);

  int step = 1;
  for (const char* file : {"secrets/prod.env.age", "certs/key.pem"}) {
    INFO(file);
    dir.Write(file, "changed");
    t = TimePoint{} + std::chrono::seconds(15 * ++step);
    watcher.Step(stop);
    CHECK(reconciler.loads == step);
    REQUIRE(reconciler.applied.size() == static_cast<size_t>(step));
    CHECK(reconciler.applied[step - 1] != reconciler.applied[step - 2]);
  }
  CHECK(watcher.State()->revision_applied == reconciler.applied.back());
}

}  // namespace stowage::watch
