// dependsOn within one task definition: every target exists, the graph has no
// cycle, and each condition suits its target (ECS rules: COMPLETE and SUCCESS
// only on non-essential containers, HEALTHY only on one with a health check).
#include <map>
#include <string>
#include <vector>

#include "check/internal.h"
#include "check/position.h"

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

// Depth-first search over dependsOn edges; each back edge closes one cycle,
// reported once at the dependency that closes it.
class CycleFinder {
 public:
  CycleFinder(const TaskDefinition& td, Diagnostics& diags) : td_(td), diags_(diags) {}

  void Run() {
    for (const auto& c : td_.containers) {
      if (state_[c.name] == kUnvisited) Visit(c);
    }
  }

 private:
  enum State { kUnvisited = 0, kOnStack, kDone };

  void Visit(const ContainerDefinition& c) {
    state_[c.name] = kOnStack;
    stack_.push_back(c.name);
    for (const auto& dep : c.depends_on) {
      const ContainerDefinition* target = td_.FindContainer(dep.container_name);
      if (target == nullptr || target == &c) continue;  // reported by CheckTarget
      const State s = state_[target->name];
      if (s == kOnStack) {
        Report(c, dep);
      } else if (s == kUnvisited) {
        Visit(*target);
      }
    }
    stack_.pop_back();
    state_[c.name] = kDone;
  }

  void Report(const ContainerDefinition& c, const ContainerDependency& dep) {
    std::string path;
    bool in_cycle = false;
    for (const auto& name : stack_) {
      in_cycle = in_cycle || name == dep.container_name;
      if (in_cycle) path += name + " -> ";
    }
    path += dep.container_name;
    diags_.Error(Best(dep.position, c.position), "dependsOn: cycle " + path);
  }

  const TaskDefinition& td_;
  Diagnostics& diags_;
  std::map<std::string, State> state_;
  std::vector<std::string> stack_;
};

}  // namespace

void CheckDependencies(const TaskDefinition& td, Diagnostics& diags) {
  for (const auto& c : td.containers) {
    for (const auto& dep : c.depends_on) CheckTarget(td, c, dep, diags);
  }
  CycleFinder(td, diags).Run();
}

}  // namespace stowage::check
