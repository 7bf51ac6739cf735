// Router: the seam between stowage's core and one load balancer's control API.
//
// A Router drives the target pools (HAProxy: backends) of one balancer
// declared in the cluster file, live, without reloads: list the targets of a
// pool, register one (it takes no new connection until it is set ready),
// set it ready / draining / in maintenance, and deregister it. The core sees
// only this interface; HaproxyRouter (traffic/haproxy/, the HAProxy Runtime
// API over a unix or loopback tcp socket) and FakeRouter (traffic/fake/, in
// memory, for unit tests) implement it. Every call returns a Status/Result;
// no exception crosses this boundary.
//
// A target's name is TargetName(service, task id): the balancer holds which
// task a target is, so a listing maps back to tasks without any state file.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/cluster.h"
#include "model/load_balancer.h"

namespace stowage::traffic {

enum class TargetState {
  kReady,  // takes new connections (when its health check passes)
  kDrain,  // keeps its connections, takes no new one
  kMaint,  // takes nothing; the only state a target can be deregistered from
};
enum class TargetHealth {
  kUnknown,  // no check ran yet, or the target has no check
  kUp,       // the balancer's own check passes
  kDown,     // the balancer's own check fails
};

const char* TargetStateName(TargetState s);    // "ready", "drain", "maint"
const char* TargetHealthName(TargetHealth h);  // "unknown", "up", "down"

struct Target {
  std::string name;     // TargetName(service, task)
  std::string address;  // host address (IPv4/IPv6 literal or name)
  int port = 0;
  TargetState state = TargetState::kMaint;
  TargetHealth health = TargetHealth::kUnknown;
  bool checked = false;            // the balancer runs a health check on it
  std::optional<int> connections;  // current connections, when the balancer tells
};

// "web.3f2a9c01b7d4": services have no '.', so the task id is what follows it.
std::string TargetName(const std::string& service, const std::string& task_id);
// The (service, task id) of a target name, nullopt for a name stowage did not make.
struct TargetOwner {
  std::string service;
  std::string task_id;
};
std::optional<TargetOwner> ParseTargetName(const std::string& name);

class Router {
 public:
  virtual ~Router() = default;

  // The targets of `pool` (HAProxy: the servers of a backend), in the balancer's order.
  virtual Result<std::vector<Target>> List(const std::string& pool) = 0;
  // Adds `target` (name, address, port) to `pool` in the drain state, with the
  // balancer's health check on, so it takes no traffic before SetState(kReady).
  // kConflict when the name exists with another address or port; registering
  // the same name, address and port again is OK (nothing changes).
  virtual Status Register(const std::string& pool, const Target& target) = 0;
  virtual Status SetState(const std::string& pool, const std::string& name, TargetState state) = 0;
  // Puts the target in maintenance, closes what connections it still holds,
  // then removes it. Deregistering a target that is not there is OK.
  virtual Status Deregister(const std::string& pool, const std::string& name) = 0;
};

// Makes the Router of a load balancer of `cluster` (the cluster file it is
// declared in: an ssh:// runtimeApi is reached through one of its hosts).
class RouterFactory {
 public:
  virtual ~RouterFactory() = default;
  virtual Result<std::shared_ptr<Router>> Connect(const model::LoadBalancer& balancer,
                                                  const model::Cluster& cluster) = 0;
};

}  // namespace stowage::traffic
