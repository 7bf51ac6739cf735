// Checks on one service against the source: taskDefinition resolves, DAEMON
// rules, placement limits and fields, deployment settings that can progress.
#include <string>

#include "check/checks.h"
#include "check/internal.h"
#include "check/position.h"
#include "model/deployment.h"

namespace stowage::check {
namespace {

using model::SchedulingStrategy;
using model::Service;

std::vector<std::string> Families(const model::DesiredState& state) {
  std::vector<std::string> out;
  for (const auto& td : state.task_definitions) out.push_back(td.family);
  return out;
}

void CheckDaemon(const Service& s, Diagnostics& diags) {
  if (s.scheduling_strategy != SchedulingStrategy::kDaemon) return;
  if (s.desired_count_position) {
    diags.Error(Best(*s.desired_count_position, s.position),
                "desiredCount: not allowed for a DAEMON service (it runs one task on every "
                "host)");
  }
  if (!s.placement_strategy.empty()) {
    diags.Error(Best(s.placement_strategy_position, s.position),
                "placementStrategy: not allowed for a DAEMON service");
  }
}

void CheckStrategies(const Service& s, Diagnostics& diags) {
  CheckLimit("placementStrategy", "strategies", s.placement_strategy.size(),
             kMaxPlacementStrategies, Best(s.placement_strategy_position, s.position), diags);
  for (const auto& ps : s.placement_strategy) {
    const auto& where = Best(ps.position, s.position);
    const auto& f = ps.field;
    if (ps.type == "binpack" && f != "cpu" && f != "memory") {
      diags.Error(where, "field: binpack takes cpu or memory, got " + Quote(f));
    } else if (ps.type == "spread" && f != "host" && f != "instanceId" &&
               (f.rfind("attribute:", 0) != 0 || f.size() == 10)) {
      diags.Error(where, "field: spread takes host, instanceId or attribute:NAME, got " + Quote(f));
    } else if (ps.type == "random" && !f.empty()) {
      diags.Error(where, "field: random takes no field, got " + Quote(f));
    }
  }
}

void CheckConstraints(const Service& s, const model::TaskDefinition* td, Diagnostics& diags) {
  const int own = static_cast<int>(s.placement_constraints.size());
  const int inherited = td ? static_cast<int>(td->placement_constraints.size()) : 0;
  const auto& where = Best(s.placement_constraints_position, s.position);
  const bool own_ok =
      CheckLimit("placementConstraints", "constraints", s.placement_constraints.size(),
                 kMaxPlacementConstraints, where, diags);
  if (own_ok && own > 0 && inherited <= kMaxPlacementConstraints &&
      own + inherited > kMaxPlacementConstraints) {
    diags.Error(where, "placementConstraints: " + std::to_string(own) + " here and " +
                           std::to_string(inherited) + " in task definition " + Quote(td->family) +
                           " make " + std::to_string(own + inherited) + ", at most " +
                           std::to_string(kMaxPlacementConstraints) + " are allowed");
  }
  for (const auto& pc : s.placement_constraints) CheckConstraintExpression(pc, s.position, diags);
}

void CheckDeployment(const Service& s, const model::DesiredState& state, Diagnostics& diags) {
  const bool daemon = s.scheduling_strategy == SchedulingStrategy::kDaemon;
  const int desired = daemon ? static_cast<int>(state.cluster.hosts.size()) : s.desired_count;
  const auto& config = s.deployment_configuration;
  const auto bounds = model::ComputeDeploymentBounds(config, desired);
  if (bounds.CanProgress(desired)) return;
  std::string count = std::to_string(desired) + (daemon ? " (one per host)" : "");
  diags.Error(Best(config.position, s.position),
              "deploymentConfiguration: a deployment can never make progress: "
              "minimumHealthyPercent " +
                  std::to_string(config.minimum_healthy_percent) + " keeps " +
                  std::to_string(bounds.min_healthy) + " of " + count +
                  " tasks running and maximumPercent " + std::to_string(config.maximum_percent) +
                  " allows at most " + std::to_string(bounds.max_running) +
                  "; raise maximumPercent or lower minimumHealthyPercent");
}

}  // namespace

const model::TaskDefinition* ResolveTaskDefinition(const Service& service,
                                                   const model::DesiredState& state) {
  return state.FindTaskDefinition(service.task_definition);
}

void CheckService(const Service& s, const model::DesiredState& state, Diagnostics& diags) {
  const model::TaskDefinition* td = ResolveTaskDefinition(s, state);
  if (td == nullptr) {
    diags.Error(Best(s.task_definition_position, s.position),
                "taskDefinition: no task definition has family " + Quote(s.task_definition) +
                    DidYouMean(s.task_definition, Families(state)));
  }
  CheckDaemon(s, diags);
  CheckStrategies(s, diags);
  CheckConstraints(s, td, diags);
  CheckDeployment(s, state, diags);
}

}  // namespace stowage::check
