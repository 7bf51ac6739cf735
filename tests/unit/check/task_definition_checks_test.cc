#include <catch2/catch.hpp>

#include "check/checks.h"
#include "check_fixtures.h"

namespace stowage::check::testing {

using model::DependencyCondition;
using model::NetworkMode;

TEST_CASE("a valid source has no findings", "[check]") { CHECK(Check(ValidState()).empty()); }

TEST_CASE("duplicate families are reported at the second one", "[check]") {
  auto s = ValidState();
  auto dup = TaskDef("web");
  dup.position.file = dup.family_position.file = "tasks/web-copy.json";
  s.task_definitions.push_back(dup);
  CHECK(Check(s) == Lines{"tasks/web-copy.json:1:9: error: family: \"web\" is already defined at "
                          "tasks/web.yaml:1:9"});
}

TEST_CASE("duplicate container names", "[check]") {
  auto s = ValidState();
  s.task_definitions[0] = TaskDef("web", {"app", "sidecar", "app"});
  CHECK(Check(s) == Lines{"tasks/web.yaml:23:11: error: name: container \"app\" is already "
                          "defined at line 3, column 11"});
}

TEST_CASE("at most 10 containers, at least one", "[check]") {
  auto s = ValidState();
  std::vector<std::string> names;
  for (int i = 0; i < 11; ++i) names.push_back("c" + std::to_string(i));
  s.task_definitions[0] = TaskDef("web", names);
  CHECK(Check(s) == Lines{"tasks/web.yaml:2:3: error: containerDefinitions: 11 containers, at "
                          "most 10 are allowed"});
  names.pop_back();
  s.task_definitions[0] = TaskDef("web", names);
  CHECK(Check(s).empty());
  s.task_definitions[0] = TaskDef("web", {});
  CHECK(Check(s) == Lines{"tasks/web.yaml:2:3: error: containerDefinitions: a task definition "
                          "needs at least one container"});
}

TEST_CASE("at least one essential container", "[check]") {
  auto s = ValidState();
  s.task_definitions[0] = TaskDef("web", {"a", "b"});
  for (auto& c : s.task_definitions[0].containers) c.essential = false;
  CHECK(Check(s) == Lines{"tasks/web.yaml:2:3: error: containerDefinitions: at least one "
                          "container must be essential"});
  s.task_definitions[0].containers[1].essential = true;
  CHECK(Check(s).empty());
}

TEST_CASE("memory must not be below memoryReservation; equal is what ECS registers", "[check]") {
  auto s = ValidState();
  auto& c = s.task_definitions[0].containers[0];
  c.memory = 128;
  c.memory_reservation = 256;
  CHECK(Check(s) == Lines{"tasks/web.yaml:5:13: error: memory: 128 MiB must not be less than "
                          "memoryReservation 256 MiB"});
  c.memory_reservation = 128;
  CHECK(Check(s).empty());
  c.memory_reservation = 127;
  CHECK(Check(s).empty());
}

TEST_CASE("some memory must be given", "[check]") {
  auto s = ValidState();
  auto& td = s.task_definitions[0];
  td.containers[0].memory.reset();
  CHECK(Check(s) == Lines{"tasks/web.yaml:3:11: error: container \"app\" needs memory or "
                          "memoryReservation, as the task definition sets no task-level memory"});
  td.containers[0].memory_reservation = 32;
  CHECK(Check(s).empty());
  td.containers[0].memory_reservation.reset();
  td.memory = 512;
  CHECK(Check(s).empty());
}

TEST_CASE("dependsOn targets must exist", "[check]") {
  auto s = ValidState();
  auto& td = s.task_definitions[0] = TaskDef("web", {"app", "proxy"});
  td.containers[0].depends_on.push_back(
      {"proxi", DependencyCondition::kStart, At("tasks/web.yaml", 8, 9)});
  td.containers[1].depends_on.push_back(
      {"proxy", DependencyCondition::kStart, At("tasks/web.yaml", 18, 9)});
  CHECK(Check(s) ==
        Lines{"tasks/web.yaml:8:9: error: dependsOn: container \"proxi\" is not defined in this "
              "task definition (did you mean \"proxy\"?)",
              "tasks/web.yaml:18:9: error: dependsOn: container \"proxy\" cannot depend on "
              "itself"});
}

TEST_CASE("dependsOn cycles are reported once, with the path", "[check]") {
  auto s = ValidState();
  auto& td = s.task_definitions[0] = TaskDef("web", {"a", "b", "c", "d"});
  const std::string f = "tasks/web.yaml";
  td.containers[0].depends_on.push_back({"b", DependencyCondition::kStart, At(f, 8, 9)});
  td.containers[1].depends_on.push_back({"c", DependencyCondition::kStart, At(f, 18, 9)});
  td.containers[2].depends_on.push_back({"a", DependencyCondition::kStart, At(f, 28, 9)});
  td.containers[3].depends_on.push_back({"a", DependencyCondition::kStart, At(f, 38, 9)});
  CHECK(Check(s) == Lines{"tasks/web.yaml:28:9: error: dependsOn: cycle a -> b -> c -> a"});
  td.containers[2].depends_on.clear();
  CHECK(Check(s).empty());  // a diamond or chain is fine
}

TEST_CASE("COMPLETE and SUCCESS need a non-essential target, HEALTHY a health check", "[check]") {
  auto s = ValidState();
  auto& td = s.task_definitions[0] = TaskDef("web", {"app", "migrate", "db"});
  const std::string f = "tasks/web.yaml";
  td.containers[0].depends_on = {{"migrate", DependencyCondition::kSuccess, At(f, 8, 9)},
                                 {"db", DependencyCondition::kHealthy, At(f, 9, 9)}};
  CHECK(Check(s) == Lines{"tasks/web.yaml:8:9: error: dependsOn: condition SUCCESS needs "
                          "container \"migrate\" to be non-essential (essential: false)",
                          "tasks/web.yaml:9:9: error: dependsOn: condition HEALTHY needs "
                          "container \"db\" to have a healthCheck"});
  td.containers[1].essential = false;
  td.containers[2].health_check = model::HealthCheck{{"CMD", "true"}};
  CHECK(Check(s).empty());
  td.containers[0].depends_on[0].condition = DependencyCondition::kComplete;
  td.containers[1].essential = true;
  CHECK(Check(s) == Lines{"tasks/web.yaml:8:9: error: dependsOn: condition COMPLETE needs "
                          "container \"migrate\" to be non-essential (essential: false)"});
}

model::PortMapping Port(int container_port, int host_port, int line) {
  return {container_port, host_port, "tcp", At("tasks/web.yaml", line, 11)};
}

TEST_CASE("duplicate host ports within a task", "[check]") {
  auto s = ValidState();
  auto& td = s.task_definitions[0] = TaskDef("web", {"app", "proxy"});
  td.containers[0].port_mappings = {Port(8080, 80, 6), Port(9090, 0, 7)};
  td.containers[1].port_mappings = {Port(80, 80, 16), Port(9090, 0, 17)};
  CHECK(Check(s) == Lines{"tasks/web.yaml:16:11: error: hostPort: 80/tcp is already mapped at "
                          "line 6, column 11"});
  td.containers[1].port_mappings[0].protocol = "udp";
  CHECK(Check(s).empty());  // same number, other protocol
}

TEST_CASE("networkMode host needs hostPort = containerPort", "[check]") {
  auto s = ValidState();
  auto& td = s.task_definitions[0] = TaskDef("web", {"app", "proxy"});
  td.network_mode = NetworkMode::kHost;
  td.containers[0].port_mappings = {Port(8080, 80, 6), Port(9090, 0, 7)};
  td.containers[1].port_mappings = {Port(9090, 9090, 16)};
  CHECK(Check(s) == Lines{"tasks/web.yaml:6:11: error: hostPort: must equal containerPort 8080 "
                          "in networkMode host, got 80",
                          "tasks/web.yaml:16:11: error: hostPort: 9090/tcp is already mapped at "
                          "line 7, column 11"});
}

TEST_CASE("networkMode none maps no ports", "[check]") {
  auto s = ValidState();
  auto& td = s.task_definitions[0];
  td.network_mode = NetworkMode::kNone;
  td.containers[0].port_mappings = {Port(8080, 0, 6)};
  CHECK(Check(s) == Lines{"tasks/web.yaml:6:11: error: portMappings: networkMode none has no "
                          "network to map ports on"});
}

TEST_CASE("mountPoints and volumesFrom name what exists", "[check]") {
  auto s = ValidState();
  auto& td = s.task_definitions[0] = TaskDef("web", {"app", "side"});
  const std::string f = "tasks/web.yaml";
  model::Volume data;
  data.name = "data";
  data.position = At(f, 30, 5);
  td.volumes = {data, data};
  td.volumes[1].position = At(f, 32, 5);
  td.containers[0].mount_points = {{"dta", "/data", false, At(f, 7, 9)}};
  td.containers[0].volumes_from = {{"app", false, At(f, 8, 9)}};
  td.containers[1].volumes_from = {{"sid", false, At(f, 18, 9)}};
  CHECK(Check(s) == Lines{"tasks/web.yaml:7:9: error: mountPoints: sourceVolume \"dta\" is not a "
                          "volume of this task definition (did you mean \"data\"?)",
                          "tasks/web.yaml:8:9: error: volumesFrom: container \"app\" cannot "
                          "mount its own volumes",
                          "tasks/web.yaml:18:9: error: volumesFrom: sourceContainer \"sid\" is "
                          "not a container of this task definition (did you mean \"side\"?)",
                          "tasks/web.yaml:32:5: error: volumes: volume \"data\" is already "
                          "defined at line 30, column 5"});
}

TEST_CASE("task definition constraints: an expression each, at most 10", "[check]") {
  auto s = ValidState();
  auto& td = s.task_definitions[0];
  td.placement_constraints_position = At("tasks/web.yaml", 40, 3);
  td.placement_constraints = {{"memberOf", "", At("tasks/web.yaml", 42, 5)}};
  CHECK(Check(s) == Lines{"tasks/web.yaml:42:5: error: expression: memberOf needs an expression"});
  td.placement_constraints.assign(11, {"memberOf", "attribute:zone == a", {}});
  CHECK(Check(s) == Lines{"tasks/web.yaml:40:3: error: placementConstraints: 11 constraints, at "
                          "most 10 are allowed"});
}

}  // namespace stowage::check::testing
