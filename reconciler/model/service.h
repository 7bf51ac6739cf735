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
  Position position;  // of the document
  // Precise places for semantic checks (check/); line 0 when unknown.
  Position name_position;
  // Set only when the document gives desiredCount (a DAEMON service must not).
  std::optional<Position> desired_count_position;
  Position placement_constraints_position;  // the placementConstraints value
  Position placement_strategy_position;     // the placementStrategy value
};

const char* SchedulingStrategyName(SchedulingStrategy s);

}  // namespace stowage::model
