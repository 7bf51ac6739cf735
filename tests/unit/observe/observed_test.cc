#include <catch2/catch.hpp>

#include <chrono>

#include "apply/container_spec.h"
#include "model/labels.h"
#include "observe/observed.h"
#include "observe/snapshot.h"
#include "runtime/fake/fake_runtime.h"

namespace stowage::observe {
namespace {

using runtime::ContainerSpec;
using runtime::ContainerState;
using runtime::Health;
using runtime::fake::FakeEngine;
using runtime::fake::FakeRuntimeFactory;
using runtime::fake::Method;

model::Cluster MakeCluster(int hosts) {
  model::Cluster c;
  c.name = "prod";
  for (int i = 1; i <= hosts; ++i) {
    model::Host h;
    h.name = "web-" + std::to_string(i);
    h.endpoint = "unix:///fake";
    c.hosts.push_back(h);
  }
  return c;
}

ContainerSpec TaskContainer(const std::string& host, const std::string& service,
                            const std::string& task, const std::string& container,
                            const std::string& revision = "r1") {
  ContainerSpec s;
  s.name = labels::ContainerName(service, container, task);
  s.image = "busybox:1";
  s.labels = {{labels::kCluster, "prod"},     {labels::kHost, host},
              {labels::kService, service},    {labels::kTask, task},
              {labels::kFamily, service},     {labels::kRevision, revision},
              {labels::kContainer, container}};
  return s;
}

model::TaskDefinition Web() {
  model::TaskDefinition td;
  td.family = "web";
  td.revision = "r1";
  model::ContainerDefinition app;
  app.name = "app";
  app.cpu = 256;
  app.memory = 512;
  app.memory_reservation = 128;
  model::ContainerDefinition side;
  side.name = "side";
  side.cpu = 128;
  side.memory = 64;
  side.essential = false;
  td.containers = {app, side};
  return td;
}

}  // namespace

TEST_CASE("snapshot: every host asked, failures recorded, never fatal", "[observed]") {
  auto cluster = MakeCluster(4);
  FakeRuntimeFactory f;
  f.Engine("web-1");
  f.Engine("web-2")->SetUnreachable(true);
  f.Engine("web-3")->FailNext(Method::kList, 1, Status::Timeout("list timed out after 5s"));
  // web-4 has no engine at all
  Snapshot snap = TakeSnapshot(cluster, f);
  REQUIRE(snap.hosts.size() == 4);
  CHECK(snap.cluster == "prod");
  CHECK(snap.hosts[0].host == "web-1");
  CHECK(snap.hosts[0].status.ok());
  CHECK(snap.hosts[0].info.ncpu == 4);
  CHECK(snap.hosts[1].status.ToString() == "unreachable: fake engine web-2: connection refused");
  CHECK(snap.hosts[2].status.code() == Status::Code::kTimeout);
  CHECK(snap.hosts[3].status.message() == "no fake engine for host web-4");

  auto obs = BuildObservedState(cluster, snap);
  CHECK(obs.UnreachableHosts() == std::vector<std::string>{"web-2", "web-3", "web-4"});
  CHECK_FALSE(obs.hosts[1].reachable);
  CHECK(obs.hosts[1].error.code() == Status::Code::kUnreachable);
  CHECK(obs.hosts[0].capacity.cpu == 4096);
}

TEST_CASE("snapshot: hosts are asked concurrently", "[observed]") {
  auto cluster = MakeCluster(8);
  FakeRuntimeFactory f;
  for (const auto& h : cluster.hosts) {
    f.Engine(h.name)->SetLatency(Method::kList, std::chrono::milliseconds(150));
  }
  auto start = std::chrono::steady_clock::now();
  Snapshot snap = TakeSnapshot(cluster, f);
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(took < std::chrono::milliseconds(8 * 150 / 2));
  for (const auto& h : snap.hosts) CHECK(h.status.ok());
  // One at a time takes the sum of the latencies.
  start = std::chrono::steady_clock::now();
  TakeSnapshot(cluster, f, {.max_parallel = 1});
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(8 * 150));
}

TEST_CASE("snapshot: a host's task containers are inspected concurrently, bounded", "[observed]") {
  auto cluster = MakeCluster(1);
  FakeRuntimeFactory f;
  auto e = f.Engine("web-1");
  for (int i = 0; i < 12; ++i) {
    REQUIRE(e->AddContainer(TaskContainer("web-1", "web", "t" + std::to_string(i), "app")).ok());
  }
  e->SetLatency(Method::kInspect, std::chrono::milliseconds(60));
  auto start = std::chrono::steady_clock::now();
  Snapshot snap = TakeSnapshot(cluster, f, {.inspect = true});
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(snap.hosts[0].status.ok());
  CHECK(snap.hosts[0].configs.size() == 12);
  // 8 at a time: two rounds of 60 ms, where one at a time takes 12.
  CHECK(took < std::chrono::milliseconds(12 * 60 / 2));
  start = std::chrono::steady_clock::now();
  snap = TakeSnapshot(cluster, f, {.inspect = true, .max_inspects_per_host = 1});
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(12 * 60));
  CHECK(snap.hosts[0].configs.size() == 12);
  // A container gone since the list is skipped, the others are still seen.
  e->FailNext(Method::kInspect, 1, Status::NotFound("no such container"));
  snap = TakeSnapshot(cluster, f, {.inspect = true});
  CHECK(snap.hosts[0].configs.size() == 11);
}

TEST_CASE("observed: tasks rebuilt from labels, with status", "[observed]") {
  auto cluster = MakeCluster(1);
  FakeRuntimeFactory f;
  auto e = f.Engine("web-1");
  auto td = Web();
  model::DesiredState desired;
  desired.task_definitions = {td};

  // t1: both containers running, no health checks -> running
  REQUIRE(e->AddContainer(TaskContainer("web-1", "web", "t1", "app")).ok());
  REQUIRE(e->AddContainer(TaskContainer("web-1", "web", "t1", "side")).ok());
  // t2: app healthy, side exited (non-essential) -> healthy
  auto app2 = TaskContainer("web-1", "web", "t2", "app");
  app2.healthcheck = runtime::HealthConfig{{"CMD", "true"}, 1, 1, 0, 1};
  REQUIRE(e->AddContainer(app2).ok());
  REQUIRE(e->SetHealth("web.app.t2", Health::kHealthy).ok());
  REQUIRE(e->AddContainer(TaskContainer("web-1", "web", "t2", "side")).ok());
  REQUIRE(e->ExitContainer("web.side.t2", 0).ok());
  // t3: app exited with 3 -> exited
  REQUIRE(e->AddContainer(TaskContainer("web-1", "web", "t3", "app")).ok());
  REQUIRE(e->AddContainer(TaskContainer("web-1", "web", "t3", "side")).ok());
  REQUIRE(e->ExitContainer("web.app.t3", 3).ok());
  // t4: side missing -> incomplete
  REQUIRE(e->AddContainer(TaskContainer("web-1", "web", "t4", "app")).ok());
  // t5: unhealthy
  auto app5 = TaskContainer("web-1", "web", "t5", "app");
  app5.healthcheck = runtime::HealthConfig{{"CMD", "false"}, 1, 1, 0, 1};
  REQUIRE(e->AddContainer(app5).ok());
  REQUIRE(e->SetHealth("web.app.t5", Health::kUnhealthy).ok());
  REQUIRE(e->AddContainer(TaskContainer("web-1", "web", "t5", "side")).ok());
  // t6: created, not started -> pending
  REQUIRE(
      e->AddContainer(TaskContainer("web-1", "web", "t6", "app"), ContainerState::kCreated).ok());
  REQUIRE(
      e->AddContainer(TaskContainer("web-1", "web", "t6", "side"), ContainerState::kCreated).ok());
  // t7: health still starting -> running
  auto app7 = TaskContainer("web-1", "web", "t7", "app");
  app7.healthcheck = runtime::HealthConfig{{"CMD", "true"}, 1, 1, 0, 1};
  REQUIRE(e->AddContainer(app7).ok());
  REQUIRE(e->AddContainer(TaskContainer("web-1", "web", "t7", "side")).ok());

  auto obs = BuildObservedState(cluster, TakeSnapshot(cluster, f), LookupIn(desired));
  REQUIRE(obs.tasks.size() == 7);
  auto status = [&](const char* id) { return TaskStatusName(obs.FindTask(id)->status); };
  CHECK(std::string(status("t1")) == "running");
  CHECK(std::string(status("t2")) == "healthy");
  CHECK(std::string(status("t3")) == "exited");
  CHECK(obs.FindTask("t3")->exit_code == 3);
  CHECK(std::string(status("t4")) == "incomplete");
  CHECK(obs.FindTask("t4")->missing == std::vector<std::string>{"side"});
  CHECK(std::string(status("t5")) == "unhealthy");
  CHECK(std::string(status("t6")) == "pending");
  CHECK(std::string(status("t7")) == "running");

  const ObservedTask* t1 = obs.FindTask("t1");
  CHECK(t1->service == "web");
  CHECK(t1->family == "web");
  CHECK(t1->revision == "r1");
  CHECK(t1->host == "web-1");
  REQUIRE(t1->containers.size() == 2);
  CHECK(t1->containers[0].name == "app");
  CHECK(t1->containers[0].engine_name == "web.app.t1");
  CHECK(t1->cpu == 384);
  CHECK(t1->memory == 192);
  CHECK(t1->resources_known);

  // Active: t1 t2 t4 t5 t6 t7 (t3 exited) -> 6 x (384, 192).
  const ObservedHost& h = obs.hosts[0];
  CHECK(h.active_tasks == 6);
  CHECK(h.used.cpu == 6 * 384);
  CHECK(h.used.memory == 6 * 192);
  CHECK(h.tasks.size() == 7);
  CHECK(obs.TasksOf("web").size() == 7);
  CHECK(obs.TasksOf("api").empty());

  // Without the definition, nothing is missing and the side container's exit counts.
  auto blind = BuildObservedState(cluster, TakeSnapshot(cluster, f));
  CHECK(std::string(TaskStatusName(blind.FindTask("t4")->status)) == "running");
  CHECK(std::string(TaskStatusName(blind.FindTask("t2")->status)) == "exited");
  CHECK_FALSE(blind.FindTask("t1")->resources_known);
  CHECK(blind.FindTask("t1")->cpu == 0);
}

TEST_CASE("observed: only this cluster's containers of this registered host", "[observed]") {
  auto cluster = MakeCluster(2);
  FakeRuntimeFactory f;
  auto shared = std::make_shared<FakeEngine>("laptop");
  f.SetEngine("web-1", shared);
  f.SetEngine("web-2", shared);
  REQUIRE(shared->AddContainer(TaskContainer("web-1", "web", "a1", "app")).ok());
  REQUIRE(shared->AddContainer(TaskContainer("web-2", "web", "b1", "app")).ok());
  REQUIRE(shared->AddContainer(TaskContainer("web-2", "api", "b2", "app")).ok());
  auto other = TaskContainer("web-1", "web", "x1", "app");
  other.labels[labels::kCluster] = "staging";
  REQUIRE(shared->AddContainer(other).ok());
  auto stray = TaskContainer("web-1", "web", "s1", "app");
  stray.labels.erase(labels::kTask);
  REQUIRE(shared->AddContainer(stray).ok());
  ContainerSpec by_hand;
  by_hand.name = "by-hand";
  by_hand.image = "busybox:1";
  REQUIRE(shared->AddContainer(by_hand).ok());

  auto snap = TakeSnapshot(cluster, f);
  CHECK(snap.hosts[0].containers.size() == 2);  // a1 and the stray one
  auto obs = BuildObservedState(cluster, snap);
  REQUIRE(obs.tasks.size() == 3);
  CHECK(obs.tasks[0].id == "b2");  // api before web
  CHECK(obs.tasks[1].id == "a1");
  CHECK(obs.tasks[2].id == "b1");
  CHECK(obs.hosts[0].tasks == std::vector<std::size_t>{1});
  CHECK(obs.hosts[1].tasks == std::vector<std::size_t>{0, 2});
  CHECK(obs.hosts[0].stray_containers == 1);

  // The pure part filters too: a snapshot listing foreign containers changes nothing.
  snap.hosts[0].containers = *shared->List({});
  auto again = BuildObservedState(cluster, snap);
  CHECK(again.hosts[0].tasks.size() == 1);
  CHECK(again.hosts[0].stray_containers == 1);
}

TEST_CASE("observed: capacity, reserved, resource labels and ports", "[observed]") {
  auto cluster = MakeCluster(2);
  cluster.hosts[0].reserved = {256, 512};
  cluster.hosts[1].capacity = model::Resources{2048, 4096};
  cluster.hosts[1].reserved = {0, 96};
  cluster.hosts[1].state = model::HostState::kDraining;
  FakeRuntimeFactory f;
  f.Engine("web-1");
  auto e2 = f.Engine("web-2");

  auto old = TaskContainer("web-2", "web", "t1", "app", "r0");  // revision not in the source
  old.labels[labels::kCpu] = "512";
  old.labels[labels::kMemory] = "300";
  old.ports = {{80, 8080, "tcp"}, {53, 0, "udp"}};
  REQUIRE(e2->AddContainer(old).ok());
  auto stopped = TaskContainer("web-2", "web", "t2", "app", "r0");
  stopped.labels[labels::kCpu] = "512";
  stopped.labels[labels::kMemory] = "300";
  stopped.ports = {{80, 9090, "tcp"}};
  REQUIRE(e2->AddContainer(stopped, ContainerState::kExited).ok());

  auto obs = BuildObservedState(cluster, TakeSnapshot(cluster, f));
  CHECK(obs.hosts[0].capacity.cpu == 4096 - 256);
  CHECK(obs.hosts[0].capacity.memory == 8192 - 512);
  CHECK(obs.hosts[1].capacity.cpu == 2048);
  CHECK(obs.hosts[1].capacity.memory == 4000);
  CHECK(obs.hosts[1].state == model::HostState::kDraining);
  CHECK(obs.hosts[1].used.cpu == 512);
  CHECK(obs.hosts[1].used.memory == 300);
  CHECK(obs.hosts[1].Free().memory == 3700);
  CHECK(obs.hosts[1].ports ==
        std::vector<HostPort>{{8080, "tcp"}, {runtime::fake::kFirstDynamicPort, "udp"}});
  CHECK(obs.FindTask("t1")->resources_known);
  CHECK_FALSE(obs.FindTask("t2")->active);
  CHECK(obs.FindTask("t2")->ports.empty());
}

TEST_CASE("observed: hand-edited resource labels leave the usage unknown", "[observed]") {
  auto cluster = MakeCluster(1);
  FakeRuntimeFactory f;
  int n = 0;
  for (const char* cpu : {"lots", "-5", "99999999999", "512"}) {
    auto c = TaskContainer("web-1", "web", "t" + std::to_string(++n), "app", "r0");
    c.labels[labels::kCpu] = cpu;
    c.labels[labels::kMemory] = "300";
    REQUIRE(f.Engine("web-1")->AddContainer(c).ok());
  }
  auto obs = BuildObservedState(cluster, TakeSnapshot(cluster, f));
  CHECK_FALSE(obs.FindTask("t1")->resources_known);
  CHECK_FALSE(obs.FindTask("t2")->resources_known);
  CHECK_FALSE(obs.FindTask("t3")->resources_known);
  CHECK(obs.FindTask("t4")->resources_known);
  CHECK(obs.hosts[0].used.cpu == 512);
}

TEST_CASE("observed: containers built by apply are understood without the definition",
          "[observed]") {
  auto cluster = MakeCluster(1);
  FakeRuntimeFactory f;
  auto spec = apply::BuildTaskSpec(Web(), {"prod", "web-1", "web", "t9", false, ""});
  REQUIRE(spec.ok());
  for (const auto& c : spec->containers) REQUIRE(f.Engine("web-1")->AddContainer(c.spec).ok());
  auto obs = BuildObservedState(cluster, TakeSnapshot(cluster, f));
  REQUIRE(obs.tasks.size() == 1);
  const ObservedTask& t = obs.tasks[0];
  CHECK(t.id == "t9");
  CHECK(t.revision == "r1");
  CHECK(t.containers.size() == 2);
  CHECK(t.resources_known);
  CHECK(t.cpu == 384);
  CHECK(t.memory == 192);
  CHECK_FALSE(t.containers[0].spec_hash.empty());
  // The side container is labelled non-essential: its exit leaves the task running.
  REQUIRE(f.Engine("web-1")->ExitContainer("web.side.t9", 0).ok());
  auto later = BuildObservedState(cluster, TakeSnapshot(cluster, f));
  CHECK(std::string(TaskStatusName(later.tasks[0].status)) == "running");
  REQUIRE(f.Engine("web-1")->ExitContainer("web.app.t9", 2).ok());
  auto dead = BuildObservedState(cluster, TakeSnapshot(cluster, f));
  CHECK(std::string(TaskStatusName(dead.tasks[0].status)) == "exited");
  CHECK(dead.tasks[0].exit_code == 2);
}

TEST_CASE("observed: fingerprints are stable and say which host changed", "[observed]") {
  auto cluster = MakeCluster(3);
  FakeRuntimeFactory f;
  for (const auto& h : cluster.hosts) {
    REQUIRE(
        f.Engine(h.name)->AddContainer(TaskContainer(h.name, "web", "t-" + h.name, "app")).ok());
  }
  auto before = BuildObservedState(cluster, TakeSnapshot(cluster, f));
  auto same = BuildObservedState(cluster, TakeSnapshot(cluster, f));
  CHECK(before.Fingerprint() == same.Fingerprint());
  CHECK(before.Fingerprint().size() == 32);
  CHECK(before.HostFingerprint("web-1") != before.HostFingerprint("web-2"));
  CHECK(before.HostFingerprint("nope").empty());

  REQUIRE(f.Engine("web-2")->ExitContainer("web.app.t-web-2", 1).ok());
  auto after = BuildObservedState(cluster, TakeSnapshot(cluster, f));
  CHECK(after.Fingerprint() != before.Fingerprint());
  CHECK(ChangedHosts(before.HostFingerprints(), after.HostFingerprints()) ==
        std::vector<std::string>{"web-2"});

  f.Engine("web-3")->SetUnreachable(true);
  auto down = BuildObservedState(cluster, TakeSnapshot(cluster, f));
  CHECK(ChangedHosts(after.HostFingerprints(), down.HostFingerprints()) ==
        std::vector<std::string>{"web-3"});
  auto fewer = MakeCluster(1);
  auto one = BuildObservedState(fewer, TakeSnapshot(fewer, f));
  CHECK(ChangedHosts(after.HostFingerprints(), one.HostFingerprints()) ==
        std::vector<std::string>{"web-2", "web-3"});
}

}  // namespace stowage::observe
