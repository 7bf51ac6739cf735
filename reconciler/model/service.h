// Services: the decoded form of an ECS `create-service` document.
//
// A service keeps desired_count tasks of one task definition running
// (REPLICA) or one task on every eligible host (DAEMON), placed by its
// constraints and strategies and rolled out within its deployment settings.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "model/load_balancer.h"
#include "model/task_definition.h"

namespace stowage::model {

enum class SchedulingStrategy { kReplica, kDaemon };

struct DeploymentCircuitBreaker {
  bool enable = false;
  bool rollback = false;
};

struct DeploymentConfiguration {
  int minimum_healthy_percent = 100;
  int maximum_percent = 200;
  DeploymentCircuitBreaker circuit_breaker;
  Position position;
};

// A service's `dependsOn` (a stowage field; ECS has none at service level):
// what must hold before its deployment starts. {service: NAME, condition}
// waits for another service: STARTED (its new tasks run) or HEALTHY (its
// deployment completed, every task healthy). {taskDefinition: FAMILY,
// condition} runs one task of FAMILY first (run-task semantics): COMPLETE
// (it exited) or SUCCESS (exit code 0). check/ rejects what can never hold.
enum class ServiceCondition { kStarted, kHealthy, kComplete, kSuccess };

struct ServiceDependency {
  std::string service;      // the service waited for; empty for a one-shot task
  std::string task_family;  // the one-shot task's family; empty for a service
  ServiceCondition condition = ServiceCondition::kHealthy;
  Position position;            // the entry
  Position target_position;     // its service / taskDefinition value
  Position condition_position;  // its condition value
  bool IsTask() const { return !task_family.empty(); }
  const std::string& Target() const { return IsTask() ? task_family : service; }
};

struct Service {
  std::string name;                   // serviceName
  std::string task_definition;        // family as written (revision suffix stripped)
  std::optional<int> task_revision;   // the ":N" of "family:N", if given (informational)
  Position task_definition_position;  // for "does not resolve" errors
  int desired_count = 0;              // REPLICA only
  SchedulingStrategy scheduling_strategy = SchedulingStrategy::kReplica;
  DeploymentConfiguration deployment_configuration;
  std::vector<PlacementConstraint> placement_constraints;
  std::vector<PlacementStrategy> placement_strategy;  // empty: spread on host
  int health_check_grace_period_seconds = 0;
  std::map<std::string, std::string> tags;
  // ECS `loadBalancers`: the target groups its tasks are registered in.
  std::vector<LoadBalancerBinding> load_balancers;
  // The `loadBalancers` key, when given (even as an empty list).
  std::optional<Position> load_balancers_position;
  std::vector<ServiceDependency> depends_on;  // in the order written
  Position position;                          // of the document
  // Precise places for semantic checks (check/); line 0 when unknown.
  Position name_position;
  // Set only when the document gives desiredCount (a DAEMON service must not).
  std::optional<Position> desired_count_position;
  Position placement_constraints_position;  // the placementConstraints value
  Position placement_strategy_position;     // the placementStrategy value
};

const char* SchedulingStrategyName(SchedulingStrategy s);
const char* ServiceConditionName(ServiceCondition c);  // "STARTED", "HEALTHY", ...
std::optional<ServiceCondition> ParseServiceCondition(const std::string& name);

}  // namespace stowage::model
