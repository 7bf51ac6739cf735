// DockerRuntime against the harness's real engines: create/start/list/inspect/
// stop/remove with every mapped field checked through inspect, labels, health,
// published ports, events, images, volumes, and the error kinds.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "runtime/docker/http_client.h"
#include "runtime_fixture.h"

namespace stowage::testing {
namespace {

using nlohmann::json;
using runtime::ContainerSpec;
using runtime::ContainerState;
using runtime::Health;
using namespace std::chrono_literals;

json InspectJson(const std::shared_ptr<runtime::Runtime>& rt, const std::string& id) {
  auto d = rt->Inspect(id);
  REQUIRE(d.ok());
  return json::parse(d->raw_json);
}

TEST_CASE("API version is negotiated with the engine", "[docker]") {
  EngineFixture f;
  runtime::docker::DockerRuntimeFactory factory;
  auto rt = factory.Connect(TestHost("h", f.engines().endpoints[0]));
  REQUIRE(rt.ok());
  auto* docker = dynamic_cast<runtime::docker::DockerRuntime*>(rt->get());
  REQUIRE(docker != nullptr);
  auto v = docker->ApiVersion();
  REQUIRE(v.ok());
  CHECK(*v == "1.41");
  auto info = (*rt)->Info();
  REQUIRE(info.ok());
  CHECK(info->api_version == "1.41");
  CHECK(info->engine_version.rfind("20.10", 0) == 0);
  CHECK(info->ncpu > 0);
  CHECK(info->CpuUnits() == info->ncpu * 1024);
  CHECK(info->memory_bytes > 0);
  CHECK(info->os == "linux");
  CHECK_FALSE(info->arch.empty());
}

TEST_CASE("every mapped field reaches the engine", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(0);
  REQUIRE(rt->EnsureVolume({f.cluster() + "-data", "local", {}, {{"k", "v"}}}).ok());
  ContainerSpec peer = f.Spec("peer");
  std::string peer_id = f.CreateOk(rt, peer);
  REQUIRE(rt->Start(peer_id).ok());

  ContainerSpec s = f.Spec("all");
  s.cmd = {"sleep", "301"};
  s.entrypoint = {"/bin/env"};
  s.env = {"A=1", "B=two words"};
  s.working_dir = "/tmp";
  s.user = "nobody";
  s.labels["io.stowage.service"] = "web";
  s.labels["com.example.x"] = "y";
  s.ports = {{80, 0, "tcp"}, {53, 0, "udp"}};
  s.cpu_shares = 512;
  s.memory_bytes = 256LL << 20;
  s.memory_reservation_bytes = 128LL << 20;
  s.mounts = {{runtime::Mount::Type::kBind, "/etc", "/hostetc", true, 0, {}},
              {runtime::Mount::Type::kVolume, f.cluster() + "-data", "/data", false, 0, {}},
              {runtime::Mount::Type::kTmpfs, "", "/scratch", false, 1 << 20, {"noexec"}}};
  s.ulimits = {{"nofile", 1024, 2048}};
  s.log_driver = "json-file";
  s.log_options = {{"max-size", "1m"}};
  s.healthcheck =
      runtime::HealthConfig{{"CMD-SHELL", "true"}, 2'000'000'000, 1'000'000'000, 3'000'000'000, 4};
  s.stop_timeout_seconds = 7;
  s.extra_hosts = {"db:10.0.0.9"};
  s.hostname = "custom-host";
  s.readonly_rootfs = true;
  s.privileged = false;
  s.cap_add = {"NET_ADMIN"};
  s.cap_drop = {"MKNOD"};
  s.init = true;
  s.shm_size_bytes = 32LL << 20;
  s.network_mode = "bridge";
  s.links = {peer.name + ":peeralias"};
  s.volumes_from = {peer.name + ":ro"};
  std::string id = f.CreateOk(rt, s);
  json j = InspectJson(rt, id);
  const json& c = j["Config"];
  const json& h = j["HostConfig"];
  CHECK(j["Name"] == "/" + s.name);
  CHECK(c["Image"] == f.engines().image);
  CHECK(c["Cmd"] == json({"sleep", "301"}));
  CHECK(c["Entrypoint"] == json({"/bin/env"}));
  CHECK(c["Env"] == json({"A=1", "B=two words"}));
  CHECK(c["WorkingDir"] == "/tmp");
  CHECK(c["User"] == "nobody");
  CHECK(c["Hostname"] == "custom-host");
  CHECK(c["Labels"]["io.stowage.cluster"] == f.cluster());
  CHECK(c["Labels"]["io.stowage.service"] == "web");
  CHECK(c["Labels"]["com.example.x"] == "y");
  CHECK(c["ExposedPorts"].contains("80/tcp"));
  CHECK(c["ExposedPorts"].contains("53/udp"));
  CHECK(c["Healthcheck"]["Test"] == json({"CMD-SHELL", "true"}));
  CHECK(c["Healthcheck"]["Interval"] == 2'000'000'000);
  CHECK(c["Healthcheck"]["Timeout"] == 1'000'000'000);
  CHECK(c["Healthcheck"]["StartPeriod"] == 3'000'000'000);
  CHECK(c["Healthcheck"]["Retries"] == 4);
  CHECK(c["StopTimeout"] == 7);
  CHECK(h["PortBindings"]["80/tcp"][0]["HostPort"] == "");
  CHECK(h["PortBindings"]["53/udp"][0]["HostPort"] == "");
  CHECK(h["CpuShares"] == 512);
  CHECK(h["Memory"] == 256LL << 20);
  CHECK(h["MemoryReservation"] == 128LL << 20);
  REQUIRE(h["Mounts"].size() == 2);
  CHECK(h["Mounts"][0]["Type"] == "bind");
  CHECK(h["Mounts"][0]["Source"] == "/etc");
  CHECK(h["Mounts"][0]["Target"] == "/hostetc");
  CHECK(h["Mounts"][0]["ReadOnly"] == true);
  CHECK(h["Mounts"][1]["Type"] == "volume");
  CHECK(h["Mounts"][1]["Source"] == f.cluster() + "-data");
  CHECK(h["Mounts"][1]["Target"] == "/data");
  CHECK(h["Tmpfs"]["/scratch"] == "noexec,size=1048576");
  CHECK(h["Ulimits"] == json::parse(R"([{"Name":"nofile","Soft":1024,"Hard":2048}])"));
  CHECK(h["LogConfig"] == json::parse(R"({"Type":"json-file","Config":{"max-size":"1m"}})"));
  CHECK(h["ExtraHosts"] == json({"db:10.0.0.9"}));
  CHECK(h["ReadonlyRootfs"] == true);
  CHECK(h["Privileged"] == false);
  CHECK(h["CapAdd"] == json({"NET_ADMIN"}));
  CHECK(h["CapDrop"] == json({"MKNOD"}));
  CHECK(h["Init"] == true);
  CHECK(h["ShmSize"] == 32LL << 20);
  CHECK(h["NetworkMode"] == "bridge");
  CHECK(h["Links"] == json({"/" + peer.name + ":/" + s.name + "/peeralias"}));
  CHECK(h["VolumesFrom"] == json({peer.name + ":ro"}));
  CHECK(h["RestartPolicy"]["Name"] == "no");

  // It runs as specified: env, user, working dir, hostname, read-only root.
  REQUIRE(rt->Start(id).ok());
  auto d = rt->Inspect(id);
  REQUIRE(d.ok());
  CHECK(d->summary.state == ContainerState::kRunning);
  CHECK(d->summary.ports.size() == 2);
  for (const auto& p : d->summary.ports) CHECK(p.host_port > 0);
}

TEST_CASE("a spec's network mode none and host work", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(1);
  for (const char* mode : {"none", "host"}) {
    ContainerSpec s = f.Spec(std::string("net-") + mode);
    s.network_mode = mode;
    std::string id = f.CreateOk(rt, s);
    CHECK(InspectJson(rt, id)["HostConfig"]["NetworkMode"] == mode);
  }
}

TEST_CASE("labels round-trip through create and list", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(1);
  ContainerSpec s = f.Spec("labels");
  s.labels["io.stowage.service"] = "api";
  s.labels["io.stowage.task"] = "t1";
  s.labels["odd key"] = "value with = and , and \"quotes\"";
  std::string id = f.CreateOk(rt, s);
  ContainerSpec other = f.Spec("other");
  other.labels["io.stowage.service"] = "db";
  f.CreateOk(rt, other);

  auto all = rt->List({{"io.stowage.cluster", f.cluster()}});
  REQUIRE(all.ok());
  CHECK(all->size() == 2);
  auto api = rt->List({{"io.stowage.cluster", f.cluster()}, {"io.stowage.service", "api"}});
  REQUIRE(api.ok());
  REQUIRE(api->size() == 1);
  const auto& c = (*api)[0];
  CHECK(c.id == id);
  CHECK(c.name == s.name);
  CHECK(c.image == f.engines().image);
  CHECK(c.state == ContainerState::kCreated);
  CHECK(c.labels == s.labels);
  CHECK(c.created > 0);
  auto any_task = rt->List({{"io.stowage.cluster", f.cluster()}, {"io.stowage.task", ""}});
  REQUIRE(any_task.ok());
  CHECK(any_task->size() == 1);
  auto none = rt->List({{"io.stowage.cluster", f.cluster() + "-nobody"}});
  REQUIRE(none.ok());
  CHECK(none->empty());
}

// Polls List until the container's health is `want` or 30 s pass.
Health WaitHealth(const std::shared_ptr<runtime::Runtime>& rt, const std::string& cluster,
                  const std::string& name, Health want) {
  Health got = Health::kNone;
  for (int i = 0; i < 300 && got != want; ++i) {
    auto l = rt->List({{"io.stowage.cluster", cluster}});
    REQUIRE(l.ok());
    for (const auto& c : *l) {
      if (c.name == name) got = c.health;
    }
    if (got != want) std::this_thread::sleep_for(100ms);
  }
  return got;
}

TEST_CASE("health checks turn one container healthy and another unhealthy", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(2);
  ContainerSpec good = f.Spec("good");
  good.healthcheck =
      runtime::HealthConfig{{"CMD-SHELL", "test -d /tmp"}, 500'000'000, 1'000'000'000, 0, 2};
  ContainerSpec bad = f.Spec("bad");
  bad.healthcheck =
      runtime::HealthConfig{{"CMD-SHELL", "exit 1"}, 500'000'000, 1'000'000'000, 0, 2};
  std::string good_id = f.CreateOk(rt, good);
  std::string bad_id = f.CreateOk(rt, bad);
  REQUIRE(rt->Start(good_id).ok());
  REQUIRE(rt->Start(bad_id).ok());
  CHECK(WaitHealth(rt, f.cluster(), good.name, Health::kHealthy) == Health::kHealthy);
  CHECK(WaitHealth(rt, f.cluster(), bad.name, Health::kUnhealthy) == Health::kUnhealthy);
  auto d = rt->Inspect(bad_id);
  REQUIRE(d.ok());
  CHECK(d->summary.health == Health::kUnhealthy);
}

TEST_CASE("a published port is reachable on the host", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(0);
  ContainerSpec s = f.Spec("web");
  s.cmd = {"sh", "-c", "echo served-by-stowage >/www/index.html && exec httpd -f -p 8080 -h /www"};
  s.ports = {{8080, 0, "tcp"}};
  std::string id = f.CreateOk(rt, s);
  REQUIRE(rt->Start(id).ok());
  auto d = rt->Inspect(id);
  REQUIRE(d.ok());
  REQUIRE(d->summary.ports.size() == 1);
  int port = d->summary.ports[0].host_port;
  REQUIRE(port > 0);
  auto listed = rt->List({{"io.stowage.cluster", f.cluster()}});
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  REQUIRE((*listed)[0].ports.size() == 1);
  CHECK((*listed)[0].ports[0].host_port == port);
  CHECK((*listed)[0].ports[0].container_port == 8080);

  auto ep = runtime::docker::ResolveEndpoint("tcp://127.0.0.1:" + std::to_string(port), {});
  REQUIRE(ep.ok());
  runtime::docker::HttpClient http(*ep, {});
  std::string body, last;
  for (int i = 0; i < 200 && body.empty(); ++i) {  // up to 20 s on a loaded machine
    auto r = http.Do({"GET", "/index.html", "", {}, {}});
    if (r.ok() && r->status == 200) body = r->body;
    last = r.ok() ? "HTTP " + std::to_string(r->status) : r.status().ToString();
    if (body.empty()) std::this_thread::sleep_for(100ms);
  }
  INFO("last answer: " << last);
  CHECK(body == "served-by-stowage\n");
}

TEST_CASE("start, stop and remove report the container's life", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(1);
  ContainerSpec s = f.Spec("life");
  s.cmd = {"sh", "-c", "trap 'exit 3' TERM; sleep 300 & wait"};
  std::string id = f.CreateOk(rt, s);
  REQUIRE(rt->Start(id).ok());
  CHECK(rt->Start(id).ok());  // already started: still OK
  auto dup = rt->Create(s);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.status().code() == Status::Code::kConflict);
  CHECK(dup.status().message().find("is already in use") != std::string::npos);

  REQUIRE(rt->Stop(id, 5s).ok());
  CHECK(rt->Stop(id, 5s).ok());  // already stopped: still OK
  auto l = rt->List({{"io.stowage.cluster", f.cluster()}});
  REQUIRE(l.ok());
  REQUIRE(l->size() == 1);
  CHECK((*l)[0].state == ContainerState::kExited);
  REQUIRE((*l)[0].exit_code.has_value());
  CHECK(*(*l)[0].exit_code == 3);
  auto d = rt->Inspect(id);
  REQUIRE(d.ok());
  CHECK(d->summary.exit_code == 3);
  CHECK_FALSE(d->started_at.empty());
  CHECK_FALSE(d->finished_at.empty());

  REQUIRE(rt->Remove(id, false).ok());
  auto gone = rt->Inspect(id);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.status().code() == Status::Code::kNotFound);
  CHECK(gone.status().message() == "No such container: " + id);
  auto again = rt->Remove(id, true);
  CHECK(again.code() == Status::Code::kNotFound);
}

TEST_CASE("a missing image is reported by create and pull", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(0);
  CHECK(rt->EnsureImage(f.engines().image).ok());  // present: no pull
  ContainerSpec s = f.Spec("noimage");
  s.image = "localhost:1/stowage/absent:1";
  auto id = rt->Create(s);
  REQUIRE_FALSE(id.ok());
  CHECK(id.status().code() == Status::Code::kNotFound);
  CHECK(id.status().message() == "No such image: localhost:1/stowage/absent:1");
  auto pull = rt->EnsureImage("localhost:1/stowage/absent:1");
  REQUIRE_FALSE(pull.ok());
  CHECK(pull.message().find("localhost:1") != std::string::npos);
}

TEST_CASE("an image is imported from a tar, without a registry, once", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(0);
  const std::string image = "stowage-it/" + f.cluster() + ":1";
  const std::string empty_tar(1024, '\0');
  REQUIRE(rt->ImportImage(image, empty_tar).ok());
  ContainerSpec s = f.Spec("imported");
  s.image = image;
  s.cmd = {"true"};
  s.network_mode = "none";
  std::string id = f.CreateOk(rt, s);  // created, never started: an empty rootfs is enough
  CHECK(InspectJson(rt, id)["Config"]["Image"] == image);
  REQUIRE(rt->Remove(id, true).ok());
  // Present: a second import sends nothing (a broken archive would be refused).
  CHECK(rt->ImportImage(image, "not a tar").ok());
  auto broken = rt->ImportImage(image + "-broken", "not a tar");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.message().find("import " + image + "-broken") != std::string::npos);
}

TEST_CASE("volumes are created once, listed by label and removed when unused", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(0);
  runtime::VolumeSpec v{f.cluster() + "-vol", "local", {}, {{"io.stowage.cluster", f.cluster()}}};
  REQUIRE(rt->EnsureVolume(v).ok());
  REQUIRE(rt->EnsureVolume(v).ok());
  ContainerSpec s = f.Spec("uses-vol");
  s.mounts = {{runtime::Mount::Type::kVolume, v.name, "/v", false, 0, {}}};
  s.cmd = {"sh", "-c", "echo kept > /v/f"};
  std::string id = f.CreateOk(rt, s);
  REQUIRE(rt->Start(id).ok());
  auto listed = rt->ListVolumes({{"io.stowage.cluster", f.cluster()}});
  REQUIRE(listed.ok());
  CHECK(*listed == std::vector<std::string>{v.name});
  auto in_use = rt->RemoveVolume(v.name);
  CHECK(in_use.code() == Status::Code::kConflict);
  REQUIRE(rt->Remove(id, true).ok());
  CHECK(rt->RemoveVolume(v.name).ok());
  CHECK(rt->RemoveVolume(v.name).ok());  // already gone: fine
  listed = rt->ListVolumes({{"io.stowage.cluster", f.cluster()}});
  REQUIRE(listed.ok());
  CHECK(listed->empty());
}

TEST_CASE("events stream container life-cycle with labels", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(1);
  auto stream = rt->Events({{"io.stowage.cluster", f.cluster()}});
  REQUIRE(stream.ok());
  ContainerSpec s = f.Spec("ev");
  s.cmd = {"sh", "-c", "exit 4"};
  std::string id = f.CreateOk(rt, s);
  REQUIRE(rt->Start(id).ok());
  std::vector<std::string> actions;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline &&
         std::find(actions.begin(), actions.end(), "die") == actions.end()) {
    auto e = (*stream)->Next(500ms);
    REQUIRE(e.ok());
    if (!e->has_value()) continue;
    CHECK((*e)->container_id == id);
    CHECK((*e)->labels["io.stowage.cluster"] == f.cluster());
    actions.push_back((*e)->action);
  }
  CHECK(actions == std::vector<std::string>{"create", "start", "die"});
  auto quiet = (*stream)->Next(200ms);
  REQUIRE(quiet.ok());
  CHECK_FALSE(quiet->has_value());
}

TEST_CASE("listing 200 managed containers is one call", "[docker]") {
  EngineFixture f;
  auto rt = f.Engine(2);
  std::vector<std::thread> workers;
  std::vector<std::string> ids(200);
  std::atomic<int> failures{0};
  for (int w = 0; w < 8; ++w) {
    workers.emplace_back([&, w] {
      for (int i = w; i < 200; i += 8) {
        ContainerSpec s = f.Spec("many-" + std::to_string(i));
        s.labels["io.stowage.task"] = std::to_string(i);
        auto id = rt->Create(s);
        if (id.ok())
          ids[static_cast<size_t>(i)] = *id;
        else
          ++failures;
      }
    });
  }
  for (auto& t : workers) t.join();
  for (const auto& id : ids) {
    if (!id.empty()) f.Track(rt, id);
  }
  REQUIRE(failures == 0);
  auto start = std::chrono::steady_clock::now();
  auto l = rt->List({{"io.stowage.cluster", f.cluster()}});
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(l.ok());
  CHECK(l->size() == 200);
  std::set<std::string> tasks;
  for (const auto& c : *l) tasks.insert(c.labels.at("io.stowage.task"));
  CHECK(tasks.size() == 200);
  WARN("listing 200 containers took "
       << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  CHECK(took < 5s);
}

}  // namespace
}  // namespace stowage::testing
