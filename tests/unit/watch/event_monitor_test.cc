#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "model/labels.h"
#include "runtime/fake/fake_runtime.h"
#include "watch/event_monitor.h"

namespace stowage::watch {
namespace {

using namespace std::chrono_literals;

runtime::ContainerSpec Task(const std::string& name, const std::string& cluster,
                            const std::string& host) {
  runtime::ContainerSpec spec;
  spec.name = name;
  spec.image = "busybox:1";
  spec.labels = {{labels::kCluster, cluster}, {labels::kHost, host}, {labels::kService, "web"}};
  return spec;
}

struct Seen {
  std::mutex mu;
  std::vector<std::string> events;
  void Add(const std::string& host, const runtime::ContainerEvent& e) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(host + " " + e.action + " " + e.labels.at(labels::kService));
  }
  std::vector<std::string> WaitFor(std::size_t n) {
    for (int i = 0; i < 400; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (events.size() >= n) return events;
      }
      std::this_thread::sleep_for(5ms);
    }
    std::lock_guard<std::mutex> lock(mu);
    return events;
  }
};

model::Cluster TwoHosts() {
  model::Cluster cluster;
  cluster.name = "prod";
  cluster.hosts.resize(2);
  cluster.hosts[0].name = "h1";
  cluster.hosts[1].name = "h2";
  return cluster;
}

}  // namespace

TEST_CASE("event monitor reports dead tasks of its cluster on every host", "[watch]") {
  runtime::fake::FakeRuntimeFactory factory;
  auto h1 = factory.Engine("h1");
  auto h2 = factory.Engine("h2");
  auto a = h1->AddContainer(Task("web.app.1", "prod", "h1"));
  auto b = h2->AddContainer(Task("web.app.2", "prod", "h2"));
  auto other = h2->AddContainer(Task("web.app.3", "staging", "h2"));
  Seen seen;
  EventMonitor monitor(
      factory, [&](const auto& h, const auto& e) { seen.Add(h, e); }, 20ms);
  monitor.Follow(TwoHosts());
  std::this_thread::sleep_for(100ms);  // let the subscriptions open
  REQUIRE(h2->ExitContainer(*other, 1).ok());
  REQUIRE(h1->ExitContainer(*a, 137).ok());
  REQUIRE(h2->SetHealth(*b, runtime::Health::kUnhealthy).ok());
  auto events = seen.WaitFor(2);
  std::sort(events.begin(), events.end());
  CHECK(events == std::vector<std::string>{"h1 die web", "h2 health_status: unhealthy web"});
  monitor.Stop();
}

TEST_CASE("event monitor reports a task once when hosts share an engine", "[watch]") {
  runtime::fake::FakeRuntimeFactory factory;
  auto engine = factory.Engine("h1");
  factory.SetEngine("h2", engine);
  auto a = engine->AddContainer(Task("web.app.1", "prod", "h1"));
  auto b = engine->AddContainer(Task("web.app.2", "prod", "h2"));
  Seen seen;
  EventMonitor monitor(
      factory, [&](const auto& h, const auto& e) { seen.Add(h, e); }, 20ms);
  monitor.Follow(TwoHosts());
  std::this_thread::sleep_for(100ms);
  REQUIRE(engine->ExitContainer(*b, 1).ok());
  REQUIRE(engine->ExitContainer(*a, 1).ok());
  auto events = seen.WaitFor(3);  // a third (a duplicate) would come by now
  std::sort(events.begin(), events.end());
  CHECK(events == std::vector<std::string>{"h1 die web", "h2 die web"});
  monitor.Stop();
}

TEST_CASE("event monitor subscribes again after an engine comes back", "[watch]") {
  runtime::fake::FakeRuntimeFactory factory;
  auto h1 = factory.Engine("h1");
  factory.Engine("h2");
  auto a = h1->AddContainer(Task("web.app.1", "prod", "h1"));
  Seen seen;
  EventMonitor monitor(
      factory, [&](const auto& h, const auto& e) { seen.Add(h, e); }, 20ms);
  h1->SetUnreachable(true);
  monitor.Follow(TwoHosts());
  std::this_thread::sleep_for(100ms);
  h1->SetUnreachable(false);
  std::this_thread::sleep_for(150ms);
  REQUIRE(h1->ExitContainer(*a, 1).ok());
  CHECK(seen.WaitFor(1) == std::vector<std::string>{"h1 die web"});
  CHECK(factory.ConnectCount("h1") >= 2);
}

TEST_CASE("task loss events", "[watch]") {
  CHECK(IsTaskLossEvent("die"));
  CHECK(IsTaskLossEvent("oom"));
  CHECK(IsTaskLossEvent("health_status: unhealthy"));
  // `docker rm -f`: "die" comes while the container is still being removed (a
  // snapshot then may see it alive); "destroy" comes once it is gone.
  CHECK(IsTaskLossEvent("destroy"));
  CHECK_FALSE(IsTaskLossEvent("health_status: healthy"));
  CHECK_FALSE(IsTaskLossEvent("start"));
}

}  // namespace stowage::watch
