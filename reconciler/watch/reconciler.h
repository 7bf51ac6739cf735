// Reconciler: what the watcher calls to load and converge one revision.
//
// The watch loop (watch/watcher.h) decides *when* to fetch and reconcile; a
// Reconciler does the work: Load validates the source at its current revision
// into a DesiredState (kInvalid: the commit is broken and is skipped), Apply
// snapshots the fleet, plans and applies under the cluster lock, honouring
// `stop` (finish or roll back the step in flight, release the lock). The CLI
// builds the real one from the loader, planner and applier; tests use doubles.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/desired_state.h"
#include "source/source.h"

namespace stowage::watch {

struct ServiceCounts {
  std::string service;
  int desired = 0;
  int running = 0;
  int healthy = 0;
};

struct ApplyOutcome {
  enum class Kind {
    kConverged,   // the fleet matches the revision (also: nothing to do)
    kPartial,     // applied, but some tasks could not be placed or some hosts did not answer
    kRolledBack,  // a deployment failed and was rolled back: the revision is marked failed
    kError,  // nothing reliable happened (lock held, engines unreachable): retried with backoff
  };
  Kind kind = Kind::kConverged;
  std::string message;
  int changes = 0;                      // plan actions applied
  std::vector<ServiceCounts> services;  // after the apply
  std::map<std::string, bool> hosts;    // host name -> answered
  nlohmann::json fleet_status;          // the `stowage status --json` document, after the apply
  // kRolledBack of a revision the deploy history quarantines: the last good
  // revision that was applied instead (the watcher stays on it), if any.
  std::shared_ptr<const model::DesiredState> stayed_on;
};

const char* OutcomeName(ApplyOutcome::Kind kind);

class Reconciler {
 public:
  virtual ~Reconciler() = default;
  virtual Result<model::DesiredState> Load(Source& source) = 0;
  virtual ApplyOutcome Apply(const model::DesiredState& desired, const std::atomic<bool>& stop) = 0;
  // Called once the source has a revision: the reconciler may then load
  // earlier revisions of it (a last good one after a restart).
  virtual void SetSource(Source* source) { (void)source; }
};

}  // namespace stowage::watch
