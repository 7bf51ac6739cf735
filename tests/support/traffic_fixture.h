// The traffic layer's test fixture: load balancer "edge" with target group
// "web-tg" (backend "web"), and service "web" bound to it on app:8080.
#pragma once

#include <chrono>

#include "model/desired_state.h"

namespace stowage::testing {

inline void AddEdgeBalancer(model::DesiredState& desired,
                            std::chrono::milliseconds delay = std::chrono::seconds(2)) {
  model::LoadBalancer lb;
  lb.name = "edge";
  lb.runtime_api = "unix:///run/haproxy/admin.sock";
  model::TargetGroup tg;
  tg.name = "web-tg";
  tg.backend = "web";
  tg.deregistration_delay = delay;
  lb.target_groups.push_back(tg);
  desired.cluster.load_balancers.push_back(lb);
}

inline model::Service BoundWebService(int desired_count = 1) {
  model::Service svc;
  svc.name = "web";
  svc.task_definition = "web";
  svc.desired_count = desired_count;
  svc.load_balancers.push_back({"web-tg", "", "app", 8080, {}, {}, {}, {}});
  return svc;
}

}  // namespace stowage::testing
