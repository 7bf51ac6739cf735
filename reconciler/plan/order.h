// The release order: in which order the services of a plan deploy.
//
// Pure: DesiredState (each service's dependsOn) x the planned services ->
// ReleaseOrder (plan/plan.h). A planned service *deploys* when it starts
// tasks of a new revision, starts its first tasks, replaces tasks, or is
// blocked; it only *scales* when its current revision already runs and it
// just starts or stops more of it (or removes what a deployment left).
// A gate on a service waits when both the dependent and the dependency
// deploy; a gate on a one-shot task waits (the task runs) when the dependent
// deploys. Everything else goes ahead at once: scale-only changes and
// services whose dependencies have nothing to deploy do not wait. The waves
// layer the waiting gates (model/dependency_graph.h): independent services
// share a wave, and no service comes before a service it waits for.
#pragma once

#include <vector>

#include "model/desired_state.h"
#include "plan/plan.h"

namespace stowage::plan {

// Whether `service` deploys (as above) rather than only scales.
bool Deploys(const ServicePlan& service);

ReleaseOrder OrderRelease(const model::DesiredState& desired,
                          const std::vector<ServicePlan>& services);

}  // namespace stowage::plan
