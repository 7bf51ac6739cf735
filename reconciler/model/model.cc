#include <cstddef>
#include <optional>
#include <string>
#include <vector>

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

const TargetGroup* Cluster::FindTargetGroup(const std::string& group_name,
                                            const LoadBalancer** balancer) const {
  for (const auto& lb : load_balancers) {
    for (const auto& tg : lb.target_groups) {
      if (tg.name != group_name) continue;
      if (balancer) *balancer = &lb;
      return &tg;
    }
  }
  return nullptr;
}

const char* HostStateName(HostState s) { return s == HostState::kActive ? "active" : "draining"; }

const char* SchedulingStrategyName(SchedulingStrategy s) {
  return s == SchedulingStrategy::kReplica ? "REPLICA" : "DAEMON";
}

const char* ServiceConditionName(ServiceCondition c) {
  switch (c) {
    case ServiceCondition::kStarted:
      return "STARTED";
    case ServiceCondition::kHealthy:
      return "HEALTHY";
    case ServiceCondition::kComplete:
      return "COMPLETE";
    case ServiceCondition::kSuccess:
      return "SUCCESS";
  }
  return "HEALTHY";
}

std::optional<ServiceCondition> ParseServiceCondition(const std::string& name) {
  for (auto c : {ServiceCondition::kStarted, ServiceCondition::kHealthy,
                 ServiceCondition::kComplete, ServiceCondition::kSuccess}) {
    if (name == ServiceConditionName(c)) return c;
  }
  return std::nullopt;
}

namespace {

// The first item whose key() is `name`. The loader sorts task definitions by
// family and services by name, so a binary search finds it at once (10,000
// services each resolving its task definition made validation quadratic); a
// miss is confirmed by a scan, for states built in another order.
template <typename T, typename Key>
const T* FindByName(const std::vector<T>& items, const std::string& name, Key key) {
  std::size_t lo = 0, hi = items.size();
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    if (key(items[mid]) < name) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < items.size() && key(items[lo]) == name) return &items[lo];
  for (const auto& item : items) {
    if (key(item) == name) return &item;
  }
  return nullptr;
}

}  // namespace

const TaskDefinition* DesiredState::FindTaskDefinition(const std::string& family) const {
  return FindByName(task_definitions, family,
                    [](const TaskDefinition& t) -> const std::string& { return t.family; });
}

const Service* DesiredState::FindService(const std::string& service_name) const {
  return FindByName(services, service_name,
                    [](const Service& s) -> const std::string& { return s.name; });
}

}  // namespace stowage::model
