// Targets: which tasks the load balancers should send traffic to (pure).
//
// A service bound to a target group (its ECS `loadBalancers`, resolved
// against the cluster file's load balancers) has one target per running task
// and binding: the task's host address (model::HostAddress) plus the host
// port the engine published for the binding's container port (read back, so
// `hostPort: 0` works). DesiredTargets lists them from the observed state;
// DiffTargets says what makes a balancer's pool hold exactly them: targets
// missing are registered, targets stowage did not ask for (removed tasks,
// or servers added by hand) are deregistered, and targets left in
// maintenance or drain (by hand, or by an apply that died) are made ready.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "observe/observed.h"
#include "runtime/runtime.h"
#include "traffic/router.h"

namespace stowage::targets {

// One binding of a service, resolved against the cluster's load balancers.
struct Binding {
  const model::LoadBalancer* balancer = nullptr;
  const model::TargetGroup* group = nullptr;
  std::string container;
  int container_port = 0;
};

// The bindings of a service (empty when it has none, or the cluster declares
// no load balancer; entries that do not resolve are left out: validation
// reported them).
std::vector<Binding> BindingsOf(const model::DesiredState& desired, const model::Service& service);

// The host port a task publishes `container_port`/tcp of `container` on.
std::optional<int> PublishedPort(const std::vector<runtime::ContainerSummary>& task_containers,
                                 const std::string& container, int container_port);
std::optional<int> PublishedPort(const observe::ObservedTask& task, const std::string& container,
                                 int container_port);

struct DesiredTarget {
  std::string balancer;
  std::string group;
  std::string backend;
  std::string service;
  std::string task_id;
  std::string host;
  std::string address;
  int port = 0;
  std::string Name() const { return traffic::TargetName(service, task_id); }
};

// Every running task (running or healthy, not exited) of every bound service
// on a reachable host, one target per binding; by (balancer, group, name).
std::vector<DesiredTarget> DesiredTargets(const model::DesiredState& desired,
                                          const observe::ObservedState& observed);

struct TargetChange {
  enum class Kind { kRegister, kDeregister, kReady };
  Kind kind = Kind::kRegister;
  std::string balancer;
  std::string group;
  std::string backend;
  std::string name;
  std::string address;
  int port = 0;
  std::string reason;  // "new task", "not a running task", "address changed", "drain by hand"
};
const char* TargetChangeName(TargetChange::Kind k);

// What each target group's pool holds (key: target group name), or why it could not be read.
using TargetListing =
    std::map<std::string,
             Result<std::vector<traffic::Target>>>;  // "register", "deregister", "ready"

// What makes the pool `listed` (the backend of `group`) hold exactly
// `desired` (the desired targets of that group, in any order).
std::vector<TargetChange> DiffTargets(const model::LoadBalancer& balancer,
                                      const model::TargetGroup& group,
                                      const std::vector<DesiredTarget>& desired,
                                      const std::vector<traffic::Target>& listed);

// A target of a task the observed state does not know, while some host does
// not answer: the task may well run there and serve; it is left alone (the
// plan's target changes and the traffic gate's sync share this rule).
bool MayRunUnseen(const observe::ObservedState& observed, const std::string& name);

}  // namespace stowage::targets
