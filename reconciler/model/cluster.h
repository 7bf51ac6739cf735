// Cluster: the registered hosts of one stowage cluster and its defaults.
//
// Exactly one cluster document per source. A host is a Docker engine endpoint
// plus the attributes placement looks at. Capacity is what the engine reports
// (NCPU x 1024 CPU units, MemTotal in MiB) minus `reserved`, unless the
// cluster file overrides it with `capacity`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "model/load_balancer.h"
#include "model/ssh.h"

namespace stowage::model {

// A tcp:// host's TLS material. From a cluster file, the paths are inside the
// source (relative to its root) and the loader reads them through the Source
// (load/tls_files.h), so a git source's come from the commit, never from the
// working directory; the runtime then uses the contents. Without contents (the
// operator's DOCKER_CERT_PATH), the runtime reads the paths.
struct TlsFiles {
  std::string ca;  // paths
  std::string cert;
  std::string key;
  std::string ca_pem{};  // contents read from the source; never printed
  std::string cert_pem{};
  std::string key_pem{};
};

struct Resources {
  int cpu = 0;     // CPU units
  int memory = 0;  // MiB
};

enum class HostState { kActive, kDraining };

struct Host {
  std::string name;
  // "unix:///path", "tcp://host:port", "ssh://[user@]host[:port][/socket]" or
  // "default" (DOCKER_HOST, else the local socket); parsed by model/endpoint.h.
  std::string endpoint;
  std::optional<TlsFiles> tls;
  std::optional<SshSettings> ssh;  // ssh:// endpoints: the `ssh:` block
  std::string host_key;            // ssh:// endpoints: the pinned public key line, "" = none
  std::map<std::string, std::string> attributes;
  Resources reserved;
  std::optional<Resources> capacity;  // override of what the engine reports
  HostState state = HostState::kActive;
  // Where its published ports are reached (traffic); "" when not given, see
  // HostAddress() in model/load_balancer.h for the default.
  std::string address;
  Position position;
  // Precise places for semantic checks (check/); line 0 when unknown.
  Position name_position;
  Position endpoint_position;
  Position tls_position;  // the tls mapping, and each of its paths
  Position tls_ca_position;
  Position tls_cert_position;
  Position tls_key_position;
  Position host_key_position;
};

inline constexpr int kDefaultUnreachableGraceSeconds = 300;

struct Cluster {
  std::string name;
  std::vector<Host> hosts;
  bool prune = false;
  // How long a host may not answer before the tasks it ran are replaced on other
  // hosts (`unreachableGraceSeconds`; docs/ARCHITECTURE.md, Safety rules).
  int unreachable_grace_seconds = kDefaultUnreachableGraceSeconds;
  // The load balancers services take traffic from (empty: services'
  // `loadBalancers` entries are ignored, as on a cluster without any).
  std::vector<LoadBalancer> load_balancers;
  Position position;

  const Host* FindHost(const std::string& name) const;
  // The target group of that name in any load balancer, with its balancer.
  const TargetGroup* FindTargetGroup(const std::string& name,
                                     const LoadBalancer** balancer = nullptr) const;
};

const char* HostStateName(HostState s);

}  // namespace stowage::model
