#include <catch2/catch.hpp>

#include <thread>

#include "runtime/fake/fake_runtime.h"

namespace stowage::runtime::fake {
namespace {

ContainerSpec Spec(const std::string& name, const std::string& image = "busybox:1") {
  ContainerSpec s;
  s.name = name;
  s.image = image;
  s.labels = {{"io.stowage.cluster", "prod"}, {"io.stowage.service", "web"}};
  return s;
}

std::string CreateStarted(FakeEngine& e, const ContainerSpec& spec) {
  REQUIRE(e.EnsureImage(spec.image).ok());
  auto id = e.Create(spec);
  REQUIRE(id.ok());
  REQUIRE(e.Start(*id).ok());
  return *id;
}

}  // namespace

TEST_CASE("fake engine: create needs the image, pull happens once", "[fake]") {
  FakeEngine e("h1");
  auto missing = e.Create(Spec("a"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kNotFound);
  CHECK(missing.status().message() == "No such image: busybox:1");
  REQUIRE(e.EnsureImage("busybox:1").ok());
  REQUIRE(e.EnsureImage("busybox:1").ok());
  CHECK(e.PullCount() == 1);
  e.MakeUnpullable("private/x:1");
  auto denied = e.EnsureImage("private/x:1");
  CHECK(denied.code() == Status::Code::kNotFound);
  CHECK(e.Images() == std::vector<std::string>{"busybox:1"});
  e.AddImage("local:1");
  REQUIRE(e.EnsureImage("local:1").ok());
  CHECK(e.PullCount() == 1);
}

TEST_CASE("fake engine: containers keep their spec and list by label", "[fake]") {
  FakeEngine e("h1");
  auto spec = Spec("web.app.t1");
  spec.env = {"A=1"};
  spec.cpu_shares = 256;
  spec.memory_bytes = 128 << 20;
  std::string id = CreateStarted(e, spec);
  CHECK(id.size() == 64);

  auto other = Spec("db.pg.t2");
  other.labels["io.stowage.service"] = "db";
  CreateStarted(e, other);
  auto unmanaged = Spec("by-hand");
  unmanaged.labels.clear();
  CreateStarted(e, unmanaged);

  auto found = e.Find("web.app.t1");
  REQUIRE(found);
  CHECK(found->spec.env == std::vector<std::string>{"A=1"});
  CHECK(found->spec.cpu_shares == 256);
  CHECK(found->summary.id == id);
  CHECK(e.Find(id.substr(0, 12))->summary.name == "web.app.t1");

  auto all = e.List({{"io.stowage.cluster", "prod"}});
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].name == "web.app.t1");
  CHECK((*all)[1].name == "db.pg.t2");
  CHECK((*all)[0].state == ContainerState::kRunning);

  auto web = e.List({{"io.stowage.cluster", ""}, {"io.stowage.service", "web"}});
  REQUIRE(web->size() == 1);
  CHECK((*web)[0].labels.at("io.stowage.service") == "web");
  CHECK(e.List({})->size() == 3);

  auto details = e.Inspect("web.app.t1");
  REQUIRE(details.ok());
  CHECK(details->summary.id == id);
  CHECK_FALSE(details->started_at.empty());
  CHECK(details->raw_json.find("\"CpuShares\":256") != std::string::npos);
  CHECK(e.Inspect("nope").status().message() == "No such container: nope");
}

TEST_CASE("fake engine: name conflicts", "[fake]") {
  FakeEngine e("h1");
  std::string id = CreateStarted(e, Spec("a"));
  auto again = e.Create(Spec("a"));
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().code() == Status::Code::kConflict);
  CHECK(again.status().message() ==
        "Conflict. The container name \"/a\" is already in use by "
        "container \"" +
            id + "\"");
}

TEST_CASE("fake engine: static ports conflict, dynamic ports come from the ephemeral range",
          "[fake]") {
  FakeEngine e("h1");
  auto a = Spec("a");
  a.ports = {{80, 8080, "tcp"}, {53, 0, "udp"}};
  CreateStarted(e, a);
  auto b = Spec("b");
  b.ports = {{80, 0, "tcp"}, {53, 8080, "udp"}};  // 8080/udp is free: protocols differ
  CreateStarted(e, b);

  auto listed = e.List({});
  REQUIRE(listed->size() == 2);
  const auto& pa = (*listed)[0].ports;
  REQUIRE(pa.size() == 2);
  CHECK(pa[0].host_port == 8080);
  CHECK(pa[1].host_port == kFirstDynamicPort);
  CHECK(pa[1].protocol == "udp");
  const auto& pb = (*listed)[1].ports;
  CHECK(pb[0].host_port == kFirstDynamicPort);  // tcp range is separate from udp
  CHECK(pb[1].host_port == 8080);

  auto c = Spec("c");
  c.ports = {{80, 8080, "tcp"}};
  REQUIRE(e.EnsureImage(c.image).ok());
  auto cid = e.Create(c);
  REQUIRE(cid.ok());
  auto started = e.Start(*cid);
  CHECK(started.code() == Status::Code::kEngine);
  CHECK(started.message() ==
        "driver failed programming external connectivity on endpoint c: Bind for 0.0.0.0:8080 "
        "failed: port is already allocated");
  CHECK(e.Find("c")->summary.state == ContainerState::kCreated);

  REQUIRE(e.Stop("a", std::chrono::seconds(10)).ok());
  CHECK(e.Find("a")->summary.ports[0].host_port == 0);  // released while stopped
  CHECK(e.Start(*cid).ok());
}

TEST_CASE("fake engine: stop and remove behave like the engine", "[fake]") {
  FakeEngine e("h1");
  e.SetStopExitCode(143);
  CreateStarted(e, Spec("a"));
  auto rm = e.Remove("a", false);
  CHECK(rm.code() == Status::Code::kConflict);
  REQUIRE(e.Stop("a", std::chrono::seconds(1)).ok());
  REQUIRE(e.Stop("a", std::chrono::seconds(1)).ok());  // stopping a stopped one is fine
  auto a = e.Find("a");
  CHECK(a->summary.state == ContainerState::kExited);
  CHECK(a->summary.exit_code == 143);
  CHECK_FALSE(a->finished_at.empty());
  REQUIRE(e.Start("a").ok());  // a stopped container can be restarted (rollback)
  CHECK(e.Find("a")->summary.state == ContainerState::kRunning);
  CHECK_FALSE(e.Find("a")->summary.exit_code);
  REQUIRE(e.Remove("a", true).ok());
  CHECK_FALSE(e.Find("a"));
  CHECK(e.Remove("a", true).code() == Status::Code::kNotFound);
  CHECK(e.CallLog() == std::vector<std::string>{"pull busybox:1", "create a", "start a", "stop a",
                                                "stop a", "start a", "remove a"});
}

TEST_CASE("fake engine: fail the next N calls of a method", "[fake]") {
  FakeEngine e("h1");
  e.AddImage("busybox:1");
  e.FailNext(Method::kCreate, 2, Status::Engine("disk full"));
  auto first = e.Create(Spec("a"));
  CHECK(first.status().message() == "disk full");
  CHECK(e.Create(Spec("a")).status().code() == Status::Code::kEngine);
  CHECK(e.Create(Spec("a")).ok());
  CHECK(e.CallCount(Method::kCreate) == 3);
  CHECK(e.Containers().size() == 1);
  e.FailNext(Method::kList, 1, Status::Timeout("list timed out"));
  CHECK(e.List({}).status().code() == Status::Code::kTimeout);
  CHECK(e.List({}).ok());
  CHECK(std::string(MethodName(Method::kEnsureVolume)) == "EnsureVolume");
}

TEST_CASE("fake engine: unreachable engine fails every call", "[fake]") {
  FakeEngine e("h1");
  auto events = e.Events({});
  REQUIRE(events.ok());
  e.SetUnreachable(true);
  auto info = e.Info();
  REQUIRE_FALSE(info.ok());
  CHECK(info.status().code() == Status::Code::kUnreachable);
  CHECK(info.status().message() == "fake engine h1: connection refused");
  CHECK(e.List({}).status().code() == Status::Code::kUnreachable);
  CHECK(e.EnsureImage("x").code() == Status::Code::kUnreachable);
  CHECK((*events)->Next(std::chrono::milliseconds(10)).status().code() ==
        Status::Code::kUnreachable);
  e.SetUnreachable(false);
  REQUIRE(e.Info().ok());
  CHECK(e.Info()->CpuUnits() == 4096);
  CHECK(e.Info()->MemoryMiB() == 8192);
}

TEST_CASE("fake engine: exits, health and events", "[fake]") {
  FakeEngine e("h1");
  std::int64_t now = 1'700'000'000'000'000'000;
  e.SetClock([&now] { return now; });
  auto stream = e.Events({{"io.stowage.service", "web"}});
  REQUIRE(stream.ok());

  auto spec = Spec("web.app.t1");
  spec.healthcheck = HealthConfig{{"CMD-SHELL", "true"}, 1, 1, 0, 3};
  CreateStarted(e, spec);
  auto other = Spec("db.pg.t1");
  other.labels["io.stowage.service"] = "db";
  CreateStarted(e, other);

  auto running = e.Find("web.app.t1");
  CHECK(running->summary.health == Health::kStarting);
  CHECK(running->started_at == "2023-11-14T22:13:20.000000000Z");
  REQUIRE(e.SetHealth("web.app.t1", Health::kHealthy).ok());
  now += 5'000'000'000;
  REQUIRE(e.ExitContainer("web.app.t1", 3).ok());
  CHECK(e.ExitContainer("web.app.t1", 3).code() == Status::Code::kConflict);
  CHECK(e.SetHealth("nope", Health::kHealthy).code() == Status::Code::kNotFound);

  std::vector<std::string> actions;
  for (;;) {
    auto ev = (*stream)->Next(std::chrono::milliseconds(1));
    REQUIRE(ev.ok());
    if (!*ev) break;
    actions.push_back((*ev)->action);
    if ((*ev)->action == "die") {
      CHECK((*ev)->labels.at("exitCode") == "3");
      CHECK((*ev)->labels.at("name") == "web.app.t1");
      CHECK((*ev)->time_ns == now);
    }
  }
  CHECK(actions == std::vector<std::string>{"create", "start", "health_status: healthy", "die"});
  auto exited = e.Find("web.app.t1");
  CHECK(exited->summary.exit_code == 3);
  CHECK(exited->finished_at == "2023-11-14T22:13:25.000000000Z");
}

TEST_CASE("fake engine: event streams wake up on events from other threads", "[fake]") {
  FakeEngine e("h1");
  e.AddImage("busybox:1");
  auto stream = e.Events({});
  REQUIRE(stream.ok());
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    (void)e.Create(Spec("a"));
  });
  auto ev = (*stream)->Next(std::chrono::seconds(5));
  t.join();
  REQUIRE(ev.ok());
  REQUIRE(*ev);
  CHECK((*ev)->action == "create");
}

TEST_CASE("fake engine: start outcomes per image", "[fake]") {
  FakeEngine e("h1");
  e.SetStartOutcome("bad:1", {.exit_code = 1, .health = std::nullopt});
  e.SetStartOutcome("sick:1", {.exit_code = std::nullopt, .health = Health::kUnhealthy});
  CreateStarted(e, Spec("a", "bad:1"));
  auto sick = Spec("b", "sick:1");
  sick.healthcheck = HealthConfig{{"CMD", "false"}, 1, 1, 0, 1};
  CreateStarted(e, sick);
  CHECK(e.Find("a")->summary.state == ContainerState::kExited);
  CHECK(e.Find("a")->summary.exit_code == 1);
  CHECK(e.Find("b")->summary.state == ContainerState::kRunning);
  CHECK(e.Find("b")->summary.health == Health::kUnhealthy);
}

TEST_CASE("fake engine: added containers, label drift, volumes", "[fake]") {
  FakeEngine e("h1");
  auto id = e.AddContainer(Spec("old"), ContainerState::kExited);
  REQUIRE(id.ok());
  CHECK(e.Find(*id)->summary.state == ContainerState::kExited);
  CHECK(e.CallCount(Method::kCreate) == 0);
  REQUIRE(e.SetLabel("old", "io.stowage.service", "api").ok());
  CHECK(e.List({{"io.stowage.service", "api"}})->size() == 1);
  REQUIRE(e.EnsureVolume({"data", "local", {}, {}}).ok());
  REQUIRE(e.EnsureVolume({"data", "local", {}, {}}).ok());
  CHECK(e.Volumes().count("data") == 1);
  CHECK(e.CallLog() == std::vector<std::string>{"volume data"});
}

TEST_CASE("fake engine: latency and concurrent callers", "[fake]") {
  FakeEngine e("h1");
  e.AddImage("busybox:1");
  e.SetLatency(Method::kCreate, std::chrono::milliseconds(1));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&e, t] {
      for (int i = 0; i < 25; ++i) {
        auto id = e.Create(Spec("c" + std::to_string(t) + "-" + std::to_string(i)));
        if (id.ok()) (void)e.Start(*id);
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(e.List({})->size() == 100);
  CHECK(e.CallCount(Method::kStart) == 100);
}

TEST_CASE("fake factory: maps hosts to engines", "[fake]") {
  FakeRuntimeFactory f;
  auto e1 = f.Engine("web-1");
  f.SetEngine("web-2", e1);  // two registered hosts on one engine
  model::Host h1, h2, h3;
  h1.name = "web-1";
  h2.name = "web-2";
  h3.name = "web-3";
  auto r1 = f.Connect(h1);
  auto r2 = f.Connect(h2);
  REQUIRE(r1.ok());
  REQUIRE(r2.ok());
  CHECK(r1->get() == r2->get());
  CHECK((*r1)->Info()->name == "web-1");
  auto r3 = f.Connect(h3);
  CHECK(r3.status().message() == "no fake engine for host web-3");
  f.FailConnect("web-1", Status::Unreachable("tls handshake failed"));
  CHECK(f.Connect(h1).status().message() == "tls handshake failed");
  f.FailConnect("web-1", Status::Ok());
  CHECK(f.Connect(h1).ok());
  CHECK(f.ConnectCount("web-1") == 3);
  CHECK(f.Engine("web-1") == e1);
}

}  // namespace stowage::runtime::fake
