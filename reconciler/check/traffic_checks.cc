// Checks on the traffic layer: the cluster's load balancers and target
// groups, and each service's ECS `loadBalancers` entries against them. A
// cluster that declares no load balancer keeps ECS files from AWS valid: the
// entries are ignored with a warning.
#include <chrono>
#include <set>
#include <string>

#include "check/checks.h"
#include "check/internal.h"
#include "check/position.h"

namespace stowage::check {
namespace {

using model::LoadBalancerBinding;

constexpr std::chrono::milliseconds kMaxDeregistrationDelay{3'600'000};  // as AWS: 3600 s

void CheckTargetGroups(const model::LoadBalancer& lb, UniqueNames& groups, Diagnostics& diags) {
  UniqueNames backends("backend", "");
  for (const auto& tg : lb.target_groups) {
    groups.Add(tg.name, Best(tg.name_position, tg.position), diags);
    backends.Add(tg.backend, tg.position, diags);
    if (tg.deregistration_delay > kMaxDeregistrationDelay) {
      diags.Error(Best(tg.delay_position, tg.position),
                  "deregistrationDelay: at most 1h (3600s) is allowed, got " +
                      std::to_string(tg.deregistration_delay.count() / 1000) + "s");
    }
  }
}

std::vector<std::string> TargetGroupNames(const model::Cluster& cluster) {
  std::vector<std::string> out;
  for (const auto& lb : cluster.load_balancers) {
    for (const auto& tg : lb.target_groups) out.push_back(tg.name);
  }
  return out;
}

// "loadBalancers[1]" for messages.
std::string EntryPath(size_t index) { return "loadBalancers[" + std::to_string(index) + "]"; }

// The entry names a target group of the cluster; false when it does not.
bool CheckTargetGroupReference(const LoadBalancerBinding& b, const std::string& path,
                               const model::Cluster& cluster, Diagnostics& diags) {
  const auto& where = Best(b.target_group_position, b.position);
  if (!b.target_group_arn.empty() && !b.load_balancer_name.empty()) {
    diags.Error(b.position, path + ": give targetGroupArn or loadBalancerName, not both");
    return false;
  }
  if (b.target_group_arn.empty() && b.load_balancer_name.empty()) {
    diags.Error(b.position, path + ": targetGroupArn (or loadBalancerName) is required");
    return false;
  }
  const std::string name = b.TargetGroupName();
  if (cluster.FindTargetGroup(name)) return true;
  const char* field = b.target_group_arn.empty() ? ".loadBalancerName" : ".targetGroupArn";
  diags.Error(where, path + field + ": no target group " + Quote(name) +
                         " among the cluster file's loadBalancers" +
                         DidYouMean(name, TargetGroupNames(cluster)));
  return false;
}

std::string PortList(const model::ContainerDefinition& c) {
  std::string out;
  for (const auto& pm : c.port_mappings) {
    out += (out.empty() ? "" : ", ") + std::to_string(pm.container_port);
  }
  return out;
}

// The entry's container and port exist in the task definition and are published over tcp.
void CheckTarget(const LoadBalancerBinding& b, const std::string& path,
                 const model::TaskDefinition& td, Diagnostics& diags) {
  if (b.container_name.empty()) {
    diags.Error(b.position, path + ": containerName is required");
    return;
  }
  const model::ContainerDefinition* container = nullptr;
  for (const auto& c : td.containers) {
    if (c.name == b.container_name) container = &c;
  }
  if (!container) {
    diags.Error(Best(b.container_name_position, b.position),
                path + ".containerName: task definition " + Quote(td.family) +
                    " has no container " + Quote(b.container_name) +
                    DidYouMean(b.container_name, ContainerNames(td)));
    return;
  }
  if (b.container_port == 0) {
    diags.Error(b.position, path + ": containerPort is required");
    return;
  }
  const auto& where = Best(b.container_port_position, b.position);
  for (const auto& pm : container->port_mappings) {
    if (pm.container_port != b.container_port) continue;
    if (pm.protocol != "tcp") {
      diags.Error(where, path + ".containerPort: " + std::to_string(b.container_port) + " is " +
                             pm.protocol + "; a target group takes tcp");
    }
    return;
  }
  const std::string ports = PortList(*container);
  diags.Error(where, path + ".containerPort: container " + Quote(container->name) +
                         " of task definition " + Quote(td.family) + " publishes no port " +
                         std::to_string(b.container_port) +
                         (ports.empty() ? " (it has no portMappings)" : " (it has " + ports + ")"));
}

}  // namespace

void CheckLoadBalancers(const model::Cluster& cluster, Diagnostics& diags) {
  UniqueNames balancers("name", "load balancer");
  UniqueNames groups("name", "target group");
  for (const auto& lb : cluster.load_balancers) {
    balancers.Add(lb.name, Best(lb.name_position, lb.position), diags);
    auto api = model::ParseRuntimeApi(lb.runtime_api);
    if (!api.ok()) {
      diags.Error(Best(lb.runtime_api_position, lb.position),
                  "runtimeApi: " + api.status().message());
    } else if (api->kind == model::RuntimeApiAddress::Kind::kSsh &&
               model::RuntimeApiHost(cluster, *api) == nullptr) {
      diags.Error(Best(lb.runtime_api_position, lb.position),
                  "runtimeApi: no host of the cluster has the ssh endpoint of " +
                      Quote(lb.runtime_api) +
                      " (a balancer over ssh is reached through the connection of a host's "
                      "engine: same user, host and port)");
    }
    CheckTargetGroups(lb, groups, diags);
  }
}

void CheckServiceLoadBalancers(const model::Service& service, const model::DesiredState& state,
                               Diagnostics& diags) {
  if (!service.load_balancers_position) return;
  if (state.cluster.load_balancers.empty()) {
    diags.Warning(*service.load_balancers_position, "loadBalancers is ignored (AWS only)");
    return;
  }
  const model::TaskDefinition* td = ResolveTaskDefinition(service, state);
  std::set<std::string> bound;
  for (size_t i = 0; i < service.load_balancers.size(); ++i) {
    const auto& b = service.load_balancers[i];
    const std::string path = EntryPath(i);
    if (!CheckTargetGroupReference(b, path, state.cluster, diags)) continue;
    if (!bound.insert(b.TargetGroupName()).second) {
      diags.Error(Best(b.target_group_position, b.position),
                  path + ": target group " + Quote(b.TargetGroupName()) +
                      " is already bound by an earlier entry");
      continue;
    }
    if (td) CheckTarget(b, path, *td, diags);
  }
}

}  // namespace stowage::check
