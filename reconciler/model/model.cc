#include "model/cluster.h"
#include "model/desired_state.h"
#include "model/service.h"

namespace stowage::model {

const Host* Cluster::FindHost(const std::string& host_name) const {
  for (const auto& h : hosts) {
    if (h.name == host_name) return &h;
  }
  return nullptr;
}

const char* HostStateName(HostState s) { return s == HostState::kActive ? "active" : "draining"; }

const char* SchedulingStrategyName(SchedulingStrategy s) {
  return s == SchedulingStrategy::kReplica ? "REPLICA" : "DAEMON";
}

const TaskDefinition* DesiredState::FindTaskDefinition(const std::string& family) const {
  for (const auto& t : task_definitions) {
    if (t.family == family) return &t;
  }
  return nullptr;
}

const Service* DesiredState::FindService(const std::string& service_name) const {
  for (const auto& s : services) {
    if (s.name == service_name) return &s;
  }
  return nullptr;
}

}  // namespace stowage::model
