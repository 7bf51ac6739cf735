// dependsOn within one task definition: every target exists, the graph has no
// cycle, and each condition suits its target (ECS rules: COMPLETE and SUCCESS
// only on non-essential containers, HEALTHY only on one with a health check).
#include <string>
#include <vector>

#include "check/internal.h"
#include "check/position.h"
#include "model/dependency_graph.h"

namespace stowage::check {
namespace {

using model::ContainerDefinition;
using model::ContainerDependency;
using model::DependencyCondition;
using model::TaskDefinition;

void CheckTarget(const TaskDefinition& td, const ContainerDefinition& c,
                 const ContainerDependency& dep, Diagnostics& diags) {
  const auto& where = Best(dep.position, c.position);
  if (dep.container_name == c.name) {
    diags.Error(where, "dependsOn: container " + Quote(c.name) + " cannot depend on itself");
    return;
  }
  const ContainerDefinition* target = td.FindContainer(dep.container_name);
  if (target == nullptr) {
    diags.Error(where, "dependsOn: container " + Quote(dep.container_name) +
                           " is not defined in this task definition" +
                           DidYouMean(dep.container_name, ContainerNames(td)));
    return;
  }
  const bool runs_to_end = dep.condition == DependencyCondition::kComplete ||
                           dep.condition == DependencyCondition::kSuccess;
  if (runs_to_end && target->essential) {
    diags.Error(where, std::string("dependsOn: condition ") +
                           model::DependencyConditionName(dep.condition) + " needs container " +
                           Quote(target->name) + " to be non-essential (essential: false)");
  }
  if (dep.condition == DependencyCondition::kHealthy && !target->health_check) {
    diags.Error(where, "dependsOn: condition HEALTHY needs container " + Quote(target->name) +
                           " to have a healthCheck");
  }
}

}  // namespace

void CheckDependencies(const TaskDefinition& td, Diagnostics& diags) {
  for (const auto& c : td.containers) {
    for (const auto& dep : c.depends_on) CheckTarget(td, c, dep, diags);
  }
  std::vector<model::GraphNode> graph;
  for (const auto& c : td.containers) {
    graph.push_back({c.name, {}});
    for (const auto& dep : c.depends_on) graph.back().depends_on.push_back(dep.container_name);
  }
  for (const auto& cycle : model::FindCycles(graph)) {
    const ContainerDefinition& c = td.containers[cycle.node];
    diags.Error(Best(c.depends_on[cycle.edge].position, c.position),
                "dependsOn: cycle " + model::CycleText(cycle));
  }
}

}  // namespace stowage::check
