#include <catch2/catch.hpp>

#include <functional>
#include <set>

#include "model/revision.h"

namespace stowage::model {
namespace {

TaskDefinition Sample() {
  TaskDefinition td;
  td.family = "web";
  td.cpu = 256;
  td.memory = 512;
  ContainerDefinition app;
  app.name = "app";
  app.image = "stowage/busybox:1";
  app.memory = 128;
  app.command = {"httpd", "-f", "-p", "8080"};
  app.environment = {{"A", "1"}, {"B", "2"}};
  app.secrets = {{"TOKEN", "token", {}}, {"KEY", "prod/key", {}}};
  app.port_mappings = {{8080, 0, "tcp", {}}, {9090, 9090, "udp", {}}};
  app.health_check = HealthCheck{{"CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/"}};
  app.docker_labels = {{"team", "a"}};
  app.mount_points = {{"data", "/data", false, {}}};
  ContainerDefinition side;
  side.name = "side";
  side.image = "stowage/busybox:1";
  side.memory_reservation = 32;
  side.essential = false;
  side.depends_on = {{"app", DependencyCondition::kHealthy, {}}};
  td.containers = {app, side};
  Volume data;
  data.name = "data";
  td.volumes = {data};
  td.tags = {{"owner", "me"}};
  return td;
}

}  // namespace

TEST_CASE("revision ignores order, positions and written-out defaults", "[model][revision]") {
  const auto base = ComputeRevision(Sample());
  CHECK(base.size() == 16);
  CHECK(ComputeRevision(Sample()) == base);

  auto reordered = Sample();
  std::swap(reordered.containers[0], reordered.containers[1]);
  auto& app = reordered.containers[1];
  std::swap(app.environment[0], app.environment[1]);
  std::swap(app.secrets[0], app.secrets[1]);
  std::swap(app.port_mappings[0], app.port_mappings[1]);
  CHECK(ComputeRevision(reordered) == base);

  auto placed = Sample();
  placed.position = {"web.yaml", 3, 1};
  placed.containers[0].position = {"web.yaml", 9, 5};
  placed.containers[0].memory_position = {"web.yaml", 11, 13};
  placed.family_position = {"web.yaml", 1, 9};
  placed.revision = "something";
  CHECK(ComputeRevision(placed) == base);

  auto defaults = Sample();
  defaults.containers[0].linux_parameters.init_process_enabled = false;
  CHECK(ComputeRevision(defaults) == base);

  // In host mode a hostPort equal to the containerPort is what an absent one means.
  auto host_absent = Sample();
  host_absent.network_mode = NetworkMode::kHost;
  host_absent.containers[0].port_mappings[0].host_port = 0;
  auto host_explicit = host_absent;
  host_explicit.containers[0].port_mappings[0].host_port = 8080;
  CHECK(ComputeRevision(host_absent) == ComputeRevision(host_explicit));
}

TEST_CASE("revision changes with any real change", "[model][revision]") {
  using Mutation = std::function<void(TaskDefinition&)>;
  const std::vector<std::pair<const char*, Mutation>> mutations = {
      {"family", [](auto& t) { t.family = "web2"; }},
      {"task cpu", [](auto& t) { t.cpu = 512; }},
      {"task cpu unset", [](auto& t) { t.cpu.reset(); }},
      {"task memory", [](auto& t) { t.memory = 1024; }},
      {"network mode", [](auto& t) { t.network_mode = NetworkMode::kHost; }},
      {"image", [](auto& t) { t.containers[0].image = "stowage/busybox:2"; }},
      {"container name", [](auto& t) { t.containers[0].name = "app2"; }},
      {"container cpu", [](auto& t) { t.containers[0].cpu = 10; }},
      {"container memory", [](auto& t) { t.containers[0].memory = 129; }},
      {"reservation", [](auto& t) { t.containers[1].memory_reservation = 33; }},
      {"essential", [](auto& t) { t.containers[1].essential = true; }},
      {"command", [](auto& t) { t.containers[0].command[3] = "8081"; }},
      {"command order",
       [](auto& t) { std::swap(t.containers[0].command[2], t.containers[0].command[3]); }},
      {"entry point", [](auto& t) { t.containers[0].entry_point = {"sh"}; }},
      {"workdir", [](auto& t) { t.containers[0].working_directory = "/tmp"; }},
      {"user", [](auto& t) { t.containers[0].user = "nobody"; }},
      {"env value", [](auto& t) { t.containers[0].environment[0].value = "x"; }},
      {"env added",
       [](auto& t) {
         t.containers[0].environment.push_back({"C", "3"});
       }},
      {"secret source", [](auto& t) { t.containers[0].secrets[0].value_from = "other"; }},
      {"host port", [](auto& t) { t.containers[0].port_mappings[0].host_port = 80; }},
      {"protocol", [](auto& t) { t.containers[0].port_mappings[0].protocol = "udp"; }},
      {"health interval", [](auto& t) { t.containers[0].health_check->interval = 10; }},
      {"health removed", [](auto& t) { t.containers[0].health_check.reset(); }},
      {"depends condition",
       [](auto& t) { t.containers[1].depends_on[0].condition = DependencyCondition::kStart; }},
      {"mount read-only", [](auto& t) { t.containers[0].mount_points[0].read_only = true; }},
      {"volumes from",
       [](auto& t) {
         t.containers[1].volumes_from = {{"app", true, {}}};
       }},
      {"links", [](auto& t) { t.containers[1].links = {"app"}; }},
      {"ulimit",
       [](auto& t) {
         t.containers[0].ulimits = {{
             "nofile",
             1024,
             2048,
         }};
       }},
      {"log driver",
       [](auto& t) {
         t.containers[0].log_configuration = LogConfiguration{"json-file", {}};
       }},
      {"docker label", [](auto& t) { t.containers[0].docker_labels["team"] = "b"; }},
      {"stop timeout", [](auto& t) { t.containers[0].stop_timeout = 5; }},
      {"hostname", [](auto& t) { t.containers[0].hostname = "x"; }},
      {"extra host",
       [](auto& t) {
         t.containers[0].extra_hosts = {{"db", "10.0.0.1"}};
       }},
      {"read-only root", [](auto& t) { t.containers[0].readonly_root_filesystem = true; }},
      {"privileged", [](auto& t) { t.containers[0].privileged = true; }},
      {"cap add", [](auto& t) { t.containers[0].linux_parameters.cap_add = {"NET_ADMIN"}; }},
      {"init", [](auto& t) { t.containers[0].linux_parameters.init_process_enabled = true; }},
      {"shm", [](auto& t) { t.containers[0].linux_parameters.shared_memory_size = 64; }},
      {"tmpfs",
       [](auto& t) {
         t.containers[0].linux_parameters.tmpfs = {{"/run", 16, {}}};
       }},
      {"volume host path", [](auto& t) { t.volumes[0].host_source_path = "/srv/data"; }},
      {"volume docker",
       [](auto& t) { t.volumes[0].docker_volume_configuration = DockerVolumeConfiguration{}; }},
      {"constraint",
       [](auto& t) {
         t.placement_constraints = {{"memberOf", "attribute:zone == a", {}}};
       }},
      {"tag", [](auto& t) { t.tags["owner"] = "you"; }},
      {"container removed", [](auto& t) { t.containers.pop_back(); }},
  };
  std::set<std::string> seen = {ComputeRevision(Sample())};
  for (const auto& [what, mutate] : mutations) {
    INFO(what);
    auto td = Sample();
    mutate(td);
    CHECK(seen.insert(ComputeRevision(td)).second);
  }
}

}  // namespace stowage::model
