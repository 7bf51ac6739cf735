// Semantic checks: the rules that span fields and documents.
//
// The schemas (schema/*.json) check each document's shape; these checks run
// on the decoded model and catch what a schema cannot: a service whose
// taskDefinition names no family, duplicate names, dependsOn cycles, memory
// limits below their reservation, host port clashes, ECS limits, placement
// and deployment settings that can never work, bad endpoints and missing TLS
// files. Each problem is one Diagnostic with an exact message, placed at the
// most precise Position the decoder recorded (falling back to the enclosing
// document). Checks never stop at the first problem.
#pragma once

#include <functional>
#include <string>

#include "diag/diagnostic.h"
#include "model/desired_state.h"
#include "policy/policy.h"

namespace stowage::check {

// ECS limits (docs/ARCHITECTURE.md, "ECS compatibility rules").
inline constexpr int kMaxContainers = 10;
inline constexpr int kMaxPlacementStrategies = 5;
inline constexpr int kMaxPlacementConstraints = 10;

// What the checks need beyond the model.
struct CheckContext {
  // What the operator allows the source to ask of the hosts (policy/policy.h);
  // the built-in default is baseline.
  policy::Policy policy;
};

// Everything below, on a whole decoded source.
void CheckDesiredState(const model::DesiredState& state, const CheckContext& ctx,
                       Diagnostics& diags);

// The task definitions and services of a source: names unique across
// documents, then each one (everything but the cluster).
void CheckDocuments(const model::DesiredState& state, Diagnostics& diags);

// One task definition on its own (containers, dependsOn, memory, ports, limits).
void CheckTaskDefinition(const model::TaskDefinition& td, Diagnostics& diags);

// One service against the source: taskDefinition resolves, DAEMON rules,
// placement limits, deployment progress.
void CheckService(const model::Service& service, const model::DesiredState& state,
                  Diagnostics& diags);

// The cluster: unique host names, endpoints, TLS paths given (the loader reads
// the files through the source).
void CheckCluster(const model::Cluster& cluster, Diagnostics& diags);

// The cluster's load balancers: unique names (balancers, target groups across
// the cluster, backends per balancer), runtimeApi addresses, delays.
void CheckLoadBalancers(const model::Cluster& cluster, Diagnostics& diags);

// A service's ECS `loadBalancers` entries: ignored with a warning when the
// cluster declares no load balancer; else each names a known target group and
// a tcp port its task definition's container publishes.
void CheckServiceLoadBalancers(const model::Service& service, const model::DesiredState& state,
                               Diagnostics& diags);

// The task definition (by family) a service's taskDefinition names, if any.
const model::TaskDefinition* ResolveTaskDefinition(const model::Service& service,
                                                   const model::DesiredState& state);

}  // namespace stowage::check
