#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "apply/container_spec.h"
#include "model/labels.h"
#include "support/temp_dir.h"

namespace stowage::apply {
namespace {

model::TaskDefinition WebTask() {
  model::TaskDefinition td;
  td.family = "web";
  td.revision = "rev1";
  td.volumes.push_back({"data", std::nullopt, model::DockerVolumeConfiguration{}, {}, {}});
  model::Volume shared{"cache", std::nullopt, model::DockerVolumeConfiguration{}, {}, {}};
  shared.docker_volume_configuration->scope = "shared";
  td.volumes.push_back(shared);
  td.volumes.push_back({"logs", std::string("/var/log/web"), std::nullopt, {}, {}});

  model::ContainerDefinition app;
  app.name = "app";
  app.image = "stowage/busybox:1";
  app.cpu = 256;
  app.memory = 128;
  app.memory_reservation = 64;
  app.command = {"httpd", "-f"};
  app.entry_point = {"/bin/sh", "-c"};
  app.environment = {{"MODE", "prod"}};
  app.secrets = {{"DB_PASSWORD", "prod/db", {}}};
  app.port_mappings = {{8080, 80, "tcp", {}}};
  app.health_check = model::HealthCheck{{"CMD-SHELL", "true"}, 5, 2, 3, 10};
  app.depends_on = {{"init", model::DependencyCondition::kSuccess, {}}};
  app.mount_points = {
      {"data", "/data", false, {}}, {"cache", "/cache", true, {}}, {"logs", "/logs", false, {}}};
  app.links = {"sidecar:side"};
  app.volumes_from = {{"sidecar", true, {}}};
  app.ulimits = {{"nofile", 1024, 2048}};
  app.log_configuration = model::LogConfiguration{"json-file", {{"max-size", "10m"}}};
  app.docker_labels = {{"team", "a"}};
  app.stop_timeout = 5;
  app.extra_hosts = {{"db", "10.0.0.9"}};
  app.hostname = "web";
  app.readonly_root_filesystem = true;
  app.linux_parameters.init_process_enabled = true;
  app.linux_parameters.tmpfs = {{"/tmp", 16, {"noexec"}}};
  app.working_directory = "/srv";
  app.user = "1000";

  model::ContainerDefinition sidecar;
  sidecar.name = "sidecar";
  sidecar.image = "stowage/busybox:1";
  model::ContainerDefinition init;
  init.name = "init";
  init.image = "stowage/busybox:1";
  init.essential = false;
  td.containers = {app, sidecar, init};
  return td;
}

TaskIdentity Id() { return {"prod", "web-1", "frontend", "t1a2b3", false, ""}; }

Result<std::string> FakeSecret(const std::string& ref) {
  if (ref == "prod/db") return std::string("s3cret");
  return Status::NotFound("valueFrom \"" + ref + "\": not found");
}

}  // namespace

TEST_CASE("start order puts dependencies, links and volumesFrom first", "[apply][spec]") {
  auto td = WebTask();
  auto order = StartOrder(td);
  REQUIRE(order.ok());
  std::vector<std::string> names;
  for (const auto* c : *order) names.push_back(c->name);
  CHECK(names == std::vector<std::string>{"init", "sidecar", "app"});
}

TEST_CASE("a dependency cycle is an error", "[apply][spec]") {
  auto td = WebTask();
  td.containers[2].depends_on = {{"app", model::DependencyCondition::kStart, {}}};
  auto order = StartOrder(td);
  REQUIRE_FALSE(order.ok());
  CHECK(order.status().message() == "task definition web: container app depends on itself (cycle)");
}

TEST_CASE("task spec maps every modelled field", "[apply][spec]") {
  auto td = WebTask();
  auto spec = BuildTaskSpec(td, Id(), FakeSecret);
  REQUIRE(spec.ok());
  REQUIRE(spec->containers.size() == 3);
  const auto* app = spec->Find("app");
  REQUIRE(app != nullptr);
  const auto& s = app->spec;
  CHECK(s.name == "frontend.app.t1a2b3");
  CHECK(s.image == "stowage/busybox:1");
  CHECK(s.cmd == std::vector<std::string>{"httpd", "-f"});
  CHECK(s.entrypoint == std::vector<std::string>{"/bin/sh", "-c"});
  CHECK(s.env == std::vector<std::string>{"MODE=prod", "DB_PASSWORD=s3cret"});
  CHECK(s.working_dir == "/srv");
  CHECK(s.user == "1000");
  CHECK(s.cpu_shares == 256);
  CHECK(s.memory_bytes == 128LL * 1024 * 1024);
  CHECK(s.memory_reservation_bytes == 64LL * 1024 * 1024);
  REQUIRE(s.ports.size() == 1);
  CHECK(s.ports[0].container_port == 8080);
  CHECK(s.ports[0].host_port == 80);
  REQUIRE(s.healthcheck);
  CHECK(s.healthcheck->test == std::vector<std::string>{"CMD-SHELL", "true"});
  CHECK(s.healthcheck->interval_ns == 5000000000LL);
  CHECK(s.healthcheck->timeout_ns == 2000000000LL);
  CHECK(s.healthcheck->start_period_ns == 10000000000LL);
  CHECK(s.healthcheck->retries == 3);
  CHECK(s.links == std::vector<std::string>{"frontend.sidecar.t1a2b3:side"});
  CHECK(s.volumes_from == std::vector<std::string>{"frontend.sidecar.t1a2b3:ro"});
  REQUIRE(s.mounts.size() == 4);
  CHECK(s.mounts[0].type == runtime::Mount::Type::kTmpfs);
  CHECK(s.mounts[0].target == "/tmp");
  CHECK(s.mounts[0].tmpfs_size_bytes == 16LL * 1024 * 1024);
  CHECK(s.mounts[1].type == runtime::Mount::Type::kVolume);
  CHECK(s.mounts[1].source == "frontend.data.t1a2b3");
  CHECK(s.mounts[2].source == "cache");
  CHECK(s.mounts[2].read_only);
  CHECK(s.mounts[3].type == runtime::Mount::Type::kBind);
  CHECK(s.mounts[3].source == "/var/log/web");
  REQUIRE(s.ulimits.size() == 1);
  CHECK(s.ulimits[0].hard == 2048);
  CHECK(s.log_driver == "json-file");
  CHECK(s.log_options.at("max-size") == "10m");
  CHECK(s.stop_timeout_seconds == 5);
  CHECK(app->stop_timeout_seconds == 5);
  CHECK(s.extra_hosts == std::vector<std::string>{"db:10.0.0.9"});
  CHECK(s.hostname == "web");
  CHECK(s.readonly_rootfs);
  CHECK(s.init == true);
  CHECK(s.network_mode == "bridge");
  CHECK(s.labels.at("team") == "a");
  CHECK(s.labels.at(labels::kCluster) == "prod");
  CHECK(s.labels.at(labels::kHost) == "web-1");
  CHECK(s.labels.at(labels::kService) == "frontend");
  CHECK(s.labels.at(labels::kTask) == "t1a2b3");
  CHECK(s.labels.at(labels::kFamily) == "web");
  CHECK(s.labels.at(labels::kRevision) == "rev1");
  CHECK(s.labels.at(labels::kContainer) == "app");
  CHECK(s.labels.at(labels::kSpecHash).size() == 32);
  CHECK(s.labels.count(labels::kStandalone) == 0);
  CHECK(s.labels.at(labels::kStartOrder) == "2");
  CHECK(s.labels.at(labels::kCpu) == "256");
  CHECK(s.labels.at(labels::kMemory) == "64");
  CHECK(s.labels.at(labels::kEssential) == "true");
  CHECK(spec->Find("init")->spec.labels.at(labels::kEssential) == "false");
  CHECK_FALSE(spec->Find("init")->essential);
  CHECK(spec->Find("init")->stop_timeout_seconds == 30);

  REQUIRE(spec->volumes.size() == 2);
  CHECK(spec->volumes[0].name == "frontend.data.t1a2b3");
  CHECK(spec->volumes[0].labels.at(labels::kTask) == "t1a2b3");
  CHECK(spec->volumes[1].name == "cache");
}

TEST_CASE("spec hash ignores secret values and follows the spec", "[apply][spec]") {
  auto td = WebTask();
  auto a = BuildTaskSpec(td, Id(), FakeSecret);
  auto b = BuildTaskSpec(
      td, Id(), [](const std::string&) -> Result<std::string> { return std::string("other"); });
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  auto hash = [](const TaskSpec& t) { return t.Find("app")->spec.labels.at(labels::kSpecHash); };
  CHECK(hash(*a) == hash(*b));
  td.containers[0].image = "stowage/busybox:2";
  auto c = BuildTaskSpec(td, Id(), FakeSecret);
  REQUIRE(c.ok());
  CHECK(hash(*a) != hash(*c));
}

TEST_CASE("containers carry the commit they were deployed from, outside the spec hash",
          "[apply][spec]") {
  auto td = WebTask();
  TaskIdentity id = Id();
  id.commit = "3f5e0c1d2b4a69788766554433221100aabbccdd";
  auto a = BuildTaskSpec(td, id, FakeSecret);
  id.commit = "0000000000000000000000000000000000000000";
  auto b = BuildTaskSpec(td, id, FakeSecret);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const auto& la = a->Find("app")->spec.labels;
  CHECK(la.at(labels::kCommit) == "3f5e0c1d2b4a69788766554433221100aabbccdd");
  CHECK(la.at(labels::kSpecHash) == b->Find("app")->spec.labels.at(labels::kSpecHash));
  auto none = BuildTaskSpec(td, Id(), FakeSecret);
  REQUIRE(none.ok());
  CHECK(none->Find("app")->spec.labels.count(labels::kCommit) == 0);
}

TEST_CASE("host network mode drops port bindings and links", "[apply][spec]") {
  auto td = WebTask();
  td.network_mode = model::NetworkMode::kHost;
  auto spec = BuildTaskSpec(td, Id(), FakeSecret);
  REQUIRE(spec.ok());
  CHECK(spec->Find("app")->spec.network_mode == "host");
  CHECK(spec->Find("app")->spec.ports.empty());
  CHECK(spec->Find("app")->spec.links.empty());
}

TEST_CASE("a missing secret is a clear error without a value", "[apply][spec]") {
  auto td = WebTask();
  td.containers[0].secrets = {{"API_KEY", "api_key", {}}};
  auto spec = BuildTaskSpec(td, Id(), FakeSecret);
  REQUIRE_FALSE(spec.ok());
  CHECK(spec.status().message() ==
        "secret API_KEY of container app: valueFrom \"api_key\": not found");
  auto none = BuildTaskSpec(WebTask(), Id());
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message() ==
        "secret DB_PASSWORD of container app: no secret was resolved (give the secret "
        "providers: --secrets-dir, --secrets-env, --age-identity)");
}

TEST_CASE("standalone tasks are labelled", "[apply][spec]") {
  auto id = Id();
  id.standalone = true;
  id.service = StandaloneService("web");
  auto td = WebTask();
  auto spec = BuildTaskSpec(td, id, FakeSecret);
  REQUIRE(spec.ok());
  CHECK(spec->Find("app")->spec.labels.at(labels::kStandalone) == "true");
  CHECK(spec->Find("app")->spec.labels.at(labels::kService) == "run-task:web");
  CHECK(spec->Find("app")->spec.name == "web.app.t1a2b3");
}

}  // namespace stowage::apply
