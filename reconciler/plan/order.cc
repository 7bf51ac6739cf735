#include "plan/order.h"

#include <map>
#include <string>

#include "model/dependency_graph.h"

namespace stowage::plan {
namespace {

DependencyGate GateFor(const ServicePlan& dependent, const model::ServiceDependency& dep,
                       const model::DesiredState& desired,
                       const std::map<std::string, const ServicePlan*>& planned) {
  DependencyGate gate;
  gate.service = dependent.service;
  gate.kind = dep.IsTask() ? GateKind::kTask : GateKind::kService;
  gate.on = dep.Target();
  gate.condition = model::ServiceConditionName(dep.condition);
  if (dep.IsTask()) {
    const model::TaskDefinition* td = desired.FindTaskDefinition(dep.task_family);
    if (td != nullptr) gate.revision = td->revision;
  }
  if (!Deploys(dependent)) {
    gate.why = dependent.service + " only scales";
    return gate;
  }
  if (dep.IsTask()) {
    gate.waits = true;
    return gate;
  }
  auto it = planned.find(dep.service);
  if (it == planned.end()) {
    gate.why = dep.service + " has nothing to deploy";
  } else if (!Deploys(*it->second)) {
    gate.why = dep.service + " only scales";
  } else {
    gate.waits = true;
  }
  return gate;
}

}  // namespace

bool Deploys(const ServicePlan& s) {
  if (s.deployment || !s.blocked.empty()) return true;
  bool starts = false;
  for (const auto& step : s.steps) {
    for (const auto& a : step.actions) {
      if (a.type != ActionType::kStart) continue;
      if (!a.replaces.empty()) return true;
      starts = true;
    }
  }
  return starts && s.running == 0;
}

ReleaseOrder OrderRelease(const model::DesiredState& desired,
                          const std::vector<ServicePlan>& services) {
  std::map<std::string, const ServicePlan*> planned;
  for (const auto& s : services) planned.emplace(s.service, &s);
  ReleaseOrder order;
  std::vector<model::GraphNode> graph;
  for (const auto& [name, sp] : planned) {
    graph.push_back({name, {}});
    const model::Service* service = desired.FindService(name);
    if (service == nullptr) continue;  // being pruned: it depends on nothing
    for (const auto& dep : service->depends_on) {
      order.gates.push_back(GateFor(*sp, dep, desired, planned));
      if (order.gates.back().waits && !dep.IsTask()) graph.back().depends_on.push_back(dep.service);
    }
  }
  order.waves = model::Waves(graph);
  return order;
}

}  // namespace stowage::plan
