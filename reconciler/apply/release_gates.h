// Release gates: the services of one apply deploy in dependency order.
//
// The plan's order (plan/order.h) lists, per service, the dependsOn gates
// that wait in this release. Every service of an apply runs in its own
// thread; before it deploys, it waits on this board for each gate on a
// service: STARTED holds once the dependency's new tasks of its first step
// run (or it converged), HEALTHY once it converged. A dependency that ends
// any other way (rolled back, failed, blocked, cancelled, not deployed
// itself) makes the gate fail for good: the dependent is not deployed and
// keeps its old tasks. A gate on a service that is not in the plan holds at
// once (it has nothing to deploy). Gates on one-shot tasks are run by the
// applier itself (apply/one_shot.h) once the service gates hold.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "apply/applier.h"
#include "plan/plan.h"

namespace stowage::apply {

// How a gate's dependency ended when it can no longer hold.
struct GateFailure {
  Outcome outcome = Outcome::kFailed;  // the dependency's own outcome
  Outcome cause = Outcome::kFailed;    // what started it (a not-deployed one's cause)
};

class ReleaseBoard {
 public:
  explicit ReleaseBoard(const plan::Plan& plan);

  // "" unless the waiting gates form a cycle (only a hand-edited plan file
  // can): "the plan's order has a cycle: a -> b -> a". Nothing may wait then.
  const std::string& CycleError() const { return cycle_error_; }
  // The waiting gates of `service`: on services first, then on tasks, each as written.
  std::vector<const plan::DependencyGate*> GatesOf(const std::string& service) const;

  void MarkStarted(const std::string& service);
  void MarkDone(const std::string& service, const ServiceResult& result);
  // Blocks until the gate (on a service) holds: nullopt; or until it never
  // can, or `cancel` is set: why.
  std::optional<GateFailure> Await(const plan::DependencyGate& gate,
                                   const std::atomic<bool>* cancel);

 private:
  struct Entry {
    bool started = false;
    std::optional<GateFailure> failed;
    bool converged = false;
  };
  const plan::Plan& plan_;
  std::string cycle_error_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry> services_;
};

// "rolled back", "failed", "is blocked", ...: how a dependency that keeps its
// dependents from deploying ended, for "depends on db, which rolled back".
std::string DependencyEnded(Outcome outcome);

}  // namespace stowage::apply
