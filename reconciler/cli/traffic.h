// The traffic layer for the commands that converge (apply, watch): HAProxy
// routers, the gate the applier admits and releases tasks through, and the
// sync that heals drift in the balancers after an apply.
#pragma once

#include <memory>

#include "apply/traffic_gate.h"
#include "model/desired_state.h"
#include "runtime/runtime.h"
#include "traffic/router.h"

namespace stowage::cli {

// Routers for the kinds of load balancer the cluster file may declare.
std::unique_ptr<traffic::RouterFactory> MakeRouterFactory();

// The HTTP probe of target groups' healthCheckPath.
apply::HealthProbe MakeHealthProbe();

// The gate for `desired`, or nullptr when its cluster declares no load balancer.
std::unique_ptr<apply::TrafficGate> MakeTrafficGate(const model::DesiredState& desired,
                                                    traffic::RouterFactory& routers);

// Observes the fleet and makes every target group hold its running tasks;
// prints each change (`traffic: register web.3f2a... in edge/web-tg (new
// task)`) unless quiet, and each error to stderr. False when one failed.
bool SyncTraffic(apply::TrafficGate& gate, const model::DesiredState& desired,
                 runtime::RuntimeFactory& runtimes, bool quiet);

}  // namespace stowage::cli
