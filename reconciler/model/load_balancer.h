// Load balancers: where a service's tasks take traffic (the traffic layer).
//
// The cluster file declares load balancers (HAProxy first), how stowage
// reaches each one's control API (`runtimeApi`) and its target groups: the
// pool of addresses one balancer backend sends traffic to. A service binds to
// a target group through its ECS `loadBalancers` entries, unchanged from ECS:
// the `targetgroup/NAME/...` part of a `targetGroupArn` (or the plain NAME),
// or a `loadBalancerName`, names the target group; `containerName` and
// `containerPort` say which published port of the task is the target. A
// task's target is its host's `address` plus the host port the engine
// published for that container port.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "diag/diagnostic.h"

namespace stowage::model {

struct Host;

inline constexpr std::chrono::milliseconds kDefaultDeregistrationDelay{30000};

struct TargetGroup {
  std::string name;     // what a binding names (targetgroup/NAME/... of an ECS ARN)
  std::string backend;  // the balancer's backend stowage fills
  // How long a drained target keeps running before its task is stopped (at
  // most: it is stopped as soon as it holds no connection).
  std::chrono::milliseconds deregistration_delay = kDefaultDeregistrationDelay;
  std::string health_check_path;  // "" when none: the balancer's own check only
  Position position;
  Position name_position;
  Position delay_position;
};

struct LoadBalancer {
  std::string name;
  std::string kind = "haproxy";
  std::string runtime_api;  // unix:///PATH or tcp://HOST:PORT
  std::vector<TargetGroup> target_groups;
  Position position;
  Position name_position;
  Position runtime_api_position;
};

// One ECS `loadBalancers` entry of a service, as written.
struct LoadBalancerBinding {
  std::string target_group_arn;    // "" when not given
  std::string load_balancer_name;  // "" when not given
  std::string container_name;
  int container_port = 0;
  Position position;  // the entry
  Position target_group_position;
  Position container_name_position;
  Position container_port_position;
  // The target group this entry names: the NAME of "...:targetgroup/NAME/ID"
  // (or the ARN itself when it has no such part), else loadBalancerName.
  std::string TargetGroupName() const;
};

// The control API of a load balancer: a local socket, a loopback/remote TCP
// port, or a socket on a host of the cluster reached over ssh
// (ssh://[USER@]HOST[:PORT]/PATH: through the ssh connection of the host
// whose endpoint names the same USER@HOST:PORT, its hostKey and ssh: block).
struct RuntimeApiAddress {
  enum class Kind { kUnix, kTcp, kSsh };
  Kind kind = Kind::kUnix;
  std::string path;  // kUnix; kSsh: the socket on the remote host
  std::string host;  // kTcp, kSsh
  int port = 0;      // kTcp; kSsh: 0 when not given
  std::string user;  // kSsh: "" when not given
};

// Fails with a message that completes "runtimeApi: ...".
Result<RuntimeApiAddress> ParseRuntimeApi(std::string_view text);

struct Cluster;
// The host an ssh:// runtimeApi is reached through: the first host whose ssh://
// endpoint names the same user, host and port; nullptr when none does.
const Host* RuntimeApiHost(const Cluster& cluster, const RuntimeApiAddress& address);

// Where a host's published ports are reached: its `address`, else the host
// part of a tcp:// or ssh:// endpoint, else 127.0.0.1 (unix://, default).
std::string HostAddress(const Host& host);

}  // namespace stowage::model
