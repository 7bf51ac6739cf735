// HostMemory: what a long-running reconciler (`stowage watch`) remembers about
// the hosts from one snapshot to the next, so the planner can apply the
// unreachable grace precisely (plan::PlanOptions::down_since): when each host
// was first seen down, and the tasks each host ran the last time it answered.
//
// The one-shot commands have no such memory: for them a host that does not
// answer has just gone down and its tasks are unknown.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "observe/observed.h"

namespace stowage::observe {

class HostMemory {
 public:
  using Time = std::chrono::steady_clock::time_point;  // as plan::PlanOptions::Time

  // Takes in `observed` (snapshot taken at `now`): a host that answers is no
  // longer down and its tasks are remembered; a host that does not answer is
  // down since the first snapshot that found it so, and the tasks it ran when it
  // last answered are put back into `observed` (its ObservedHost::remembered set).
  // Hosts no longer in the cluster are forgotten.
  void Update(ObservedState& observed, Time now);

  const std::map<std::string, Time>& down_since() const { return down_since_; }

 private:
  std::map<std::string, Time> down_since_;
  std::map<std::string, std::vector<ObservedTask>> last_tasks_;
};

}  // namespace stowage::observe
