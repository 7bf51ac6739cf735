// dependsOn between services (a stowage field): every entry names a service or
// a task family of the source, once; no service depends on itself or closes
// a cycle; and each condition can hold. COMPLETE and SUCCESS wait for a task
// to exit: only a one-shot task (taskDefinition) does; a REPLICA or DAEMON
// service runs until stopped. STARTED and HEALTHY wait for a service's tasks:
// a one-shot task takes neither, and a REPLICA service with desiredCount 0
// runs no task, so neither ever holds for it.
#include <string>
#include <vector>

#include "check/internal.h"
#include "check/position.h"
#include "model/dependency_graph.h"

namespace stowage::check {
namespace {

using model::DesiredState;
using model::Service;
using model::ServiceCondition;
using model::ServiceDependency;

bool WaitsForExit(ServiceCondition c) {
  return c == ServiceCondition::kComplete || c == ServiceCondition::kSuccess;
}

std::string ConditionName(const ServiceDependency& dep) {
  return model::ServiceConditionName(dep.condition);
}

void CheckTaskEntry(const ServiceDependency& dep, const DesiredState& state, Diagnostics& diags) {
  if (state.FindTaskDefinition(dep.task_family) == nullptr) {
    std::vector<std::string> families;
    for (const auto& td : state.task_definitions) families.push_back(td.family);
    diags.Error(dep.target_position, "dependsOn: no task definition has family " +
                                         Quote(dep.task_family) +
                                         DidYouMean(dep.task_family, families));
  }
  if (!WaitsForExit(dep.condition)) {
    diags.Error(dep.condition_position, "dependsOn: condition " + ConditionName(dep) +
                                            " does not apply to a one-shot " +
                                            "task (taskDefinition " + Quote(dep.task_family) +
                                            "): use COMPLETE or SUCCESS");
  }
}

void CheckServiceEntry(const Service& s, const ServiceDependency& dep, const DesiredState& state,
                       Diagnostics& diags) {
  if (dep.service == s.name) {
    diags.Error(dep.target_position,
                "dependsOn: service " + Quote(s.name) + " cannot depend on itself");
    return;
  }
  const Service* target = state.FindService(dep.service);
  if (target == nullptr) {
    std::vector<std::string> names;
    for (const auto& other : state.services) names.push_back(other.name);
    diags.Error(dep.target_position, "dependsOn: no service is named " + Quote(dep.service) +
                                         DidYouMean(dep.service, names));
    return;
  }
  const std::string never = "dependsOn: condition " + ConditionName(dep) +
                            " never holds for service " + Quote(target->name) + ": ";
  if (WaitsForExit(dep.condition)) {
    diags.Error(dep.condition_position,
                never + "a " + model::SchedulingStrategyName(target->scheduling_strategy) +
                    " service runs until it is stopped (a one-shot task is {taskDefinition: " +
                    "FAMILY, condition: " + ConditionName(dep) + "})");
  } else if (target->scheduling_strategy == model::SchedulingStrategy::kReplica &&
             target->desired_count == 0) {
    diags.Error(dep.condition_position, never + "its desiredCount is 0");
  }
}

void CheckEntries(const Service& s, const DesiredState& state, Diagnostics& diags) {
  UniqueNames services("dependsOn", "service");
  UniqueNames tasks("dependsOn", "task definition");
  for (const auto& dep : s.depends_on) {
    (dep.IsTask() ? tasks : services).Add(dep.Target(), dep.target_position, diags);
    if (dep.IsTask()) {
      CheckTaskEntry(dep, state, diags);
    } else {
      CheckServiceEntry(s, dep, state, diags);
    }
  }
}

}  // namespace

void CheckServiceDependencies(const DesiredState& state, Diagnostics& diags) {
  std::vector<model::GraphNode> graph;
  for (const auto& s : state.services) {
    CheckEntries(s, state, diags);
    graph.push_back({s.name, {}});
    // A task entry names no service: "" is no node, so its edge is skipped.
    for (const auto& dep : s.depends_on) graph.back().depends_on.push_back(dep.service);
  }
  for (const auto& cycle : model::FindCycles(graph)) {
    const ServiceDependency& dep = state.services[cycle.node].depends_on[cycle.edge];
    diags.Error(dep.target_position, "dependsOn: cycle " + model::CycleText(cycle));
  }
}

}  // namespace stowage::check
