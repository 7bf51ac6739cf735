// Hand-built model values for the semantic-check tests: a valid source to
// start from, which each test breaks in one way.
#pragma once

#include <string>
#include <vector>

#include "check/checks.h"
#include "model/desired_state.h"

namespace stowage::check::testing {

inline Position At(const std::string& file, int line, int column = 1) {
  return Position{file, line, column};
}

inline model::ContainerDefinition Container(const std::string& file, const std::string& name,
                                            int line) {
  model::ContainerDefinition c;
  c.name = name;
  c.image = "stowage/busybox:1";
  c.memory = 64;
  c.position = At(file, line, 5);
  c.name_position = At(file, line, 11);
  c.memory_position = At(file, line + 2, 13);
  return c;
}

inline model::TaskDefinition TaskDef(const std::string& family,
                                     std::vector<std::string> containers = {"app"}) {
  const std::string file = "tasks/" + family + ".yaml";
  model::TaskDefinition td;
  td.family = family;
  td.position = At(file, 1, 1);
  td.family_position = At(file, 1, 9);
  td.containers_position = At(file, 2, 3);
  int line = 3;
  for (const auto& name : containers) {
    td.containers.push_back(Container(file, name, line));
    line += 10;
  }
  return td;
}

inline model::Service Svc(const std::string& name, const std::string& family, int count = 2) {
  const std::string file = "services/" + name + ".yaml";
  model::Service s;
  s.name = name;
  s.task_definition = family;
  s.desired_count = count;
  s.position = At(file, 1, 1);
  s.name_position = At(file, 1, 14);
  s.task_definition_position = At(file, 2, 17);
  s.desired_count_position = At(file, 3, 15);
  s.deployment_configuration.position = At(file, 4, 3);
  s.placement_strategy_position = At(file, 7, 3);
  s.placement_constraints_position = At(file, 9, 3);
  return s;
}

inline model::Host HostAt(const std::string& name, int line) {
  model::Host h;
  h.name = name;
  h.endpoint = "default";
  h.position = At("cluster.yaml", line, 5);
  h.name_position = At("cluster.yaml", line, 11);
  h.endpoint_position = At("cluster.yaml", line + 1, 15);
  return h;
}

inline model::DesiredState ValidState() {
  model::DesiredState s;
  s.cluster.name = "test";
  s.cluster.position = At("cluster.yaml", 1, 1);
  s.cluster.hosts = {HostAt("h1", 4), HostAt("h2", 8), HostAt("h3", 12)};
  s.task_definitions = {TaskDef("web"), TaskDef("worker")};
  s.services = {Svc("web", "web"), Svc("worker", "worker")};
  return s;
}

// A context whose policy allows anything: these tests are about the semantic
// checks (the policy has its own, tests/unit/policy).
inline CheckContext AnyPolicy() {
  CheckContext ctx;
  ctx.policy.level = policy::Level::kPrivileged;
  return ctx;
}

// The formatted diagnostics of CheckDesiredState, sorted by place.
inline std::vector<std::string> Check(const model::DesiredState& state,
                                      const CheckContext& ctx = AnyPolicy()) {
  Diagnostics diags;
  CheckDesiredState(state, ctx, diags);
  diags.Sort();
  std::vector<std::string> out;
  for (const auto& d : diags.items()) out.push_back(FormatDiagnostic(d));
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace stowage::check::testing
