// TrafficGate: how tasks of bound services enter and leave their target groups
// (the applier's side of the traffic layer; which tasks are targets is
// targets/targets.h, pure).
//
// The applier calls it around the life of a task (apply/applier.h):
//  - Admit, once a new (or restarted) task passed its health gate: each of
//    its targets is registered (drained: no traffic yet), the balancer's own
//    check must pass, then (with a healthCheckPath) GET PATH on the target
//    must answer 2xx/3xx, and only then is the target set ready;
//  - Release, before a task is stopped or removed: each target is drained,
//    the task keeps running until the target holds no connection or the
//    target group's deregistrationDelay has passed, then the target is
//    deregistered; with `at_once` (the task is already dead) it is
//    deregistered without the wait.
// Sync makes every bound target group hold exactly the running tasks
// (targets::DiffTargets): drift in a balancer is healed.
// Time passes through apply::Clock, so unit tests on FakeRouter run instantly.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "apply/clock.h"
#include "model/desired_state.h"
#include "observe/observed.h"
#include "runtime/runtime.h"
#include "targets/targets.h"
#include "traffic/router.h"

namespace stowage::apply {

// GET http://ADDRESS:PORT/PATH answered 2xx or 3xx: OK; else why not.
using HealthProbe =
    std::function<Status(const std::string& address, int port, const std::string& path)>;

struct GateTimes {
  std::chrono::milliseconds poll{200};             // how often the balancer is asked
  std::chrono::milliseconds check_timeout{60000};  // a target not up by then has failed
  // false: Release leaves targets as they are (the task stops while still a
  // target; Sync removes it afterwards). Only for bench/traffic's comparison.
  bool drain = true;
};

struct SyncReport {
  std::vector<targets::TargetChange> applied;
  std::vector<std::string> errors;  // "edge/web-tg: ..."
};

class TrafficGate {
 public:
  TrafficGate(const model::DesiredState& desired, traffic::RouterFactory& routers,
              apply::Clock& clock, GateTimes times = {}, HealthProbe probe = nullptr);

  // The service has targets (bindings to declared target groups).
  bool Bound(const std::string& service) const;
  Status Admit(const std::string& service, const std::string& host, const std::string& task_id,
               const std::vector<runtime::ContainerSummary>& task_containers);
  // `draining` is called once the first of the task's targets is drained
  // (not at all when the task has no target).
  Status Release(const std::string& service, const std::string& task_id, bool at_once = false,
                 const std::function<void()>& draining = nullptr);
  SyncReport Sync(const observe::ObservedState& observed);

  // The targets a balancer's pool holds now (for status).
  Result<std::vector<traffic::Target>> List(const model::LoadBalancer& balancer,
                                            const std::string& backend);
  // Every target group's pool. A balancer that cannot be reached (or timed
  // out) is asked once: its other groups get the same error.
  targets::TargetListing ListAll();

 private:
  Result<std::shared_ptr<traffic::Router>> RouterOf(const model::LoadBalancer& balancer);
  Status AdmitOne(traffic::Router& router, const targets::Binding& b,
                  const traffic::Target& target);
  Status ReleaseOne(traffic::Router& router, const targets::Binding& b, const std::string& name,
                    bool at_once, const std::function<void()>& draining);
  Status Apply(const targets::TargetChange& change);

  const model::DesiredState& desired_;
  traffic::RouterFactory& routers_;
  apply::Clock& clock_;
  GateTimes times_;
  HealthProbe probe_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<traffic::Router>> connected_;
};

}  // namespace stowage::apply
