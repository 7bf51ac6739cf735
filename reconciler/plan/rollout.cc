#include "plan/rollout.h"

#include <algorithm>

namespace stowage::plan {

Rollout PlanRollout(const RolloutInput& in) {
  Rollout r;
  r.min_healthy = model::MinHealthyTasks(in.desired, in.minimum_healthy_percent);
  r.max_running = model::MaxRunningTasks(in.desired, in.maximum_percent);
  int old_tasks = in.old_tasks;
  int new_tasks = in.new_tasks;
  long long room = in.capacity;  // may grow as old tasks stop
  while (new_tasks < in.desired || old_tasks > 0) {
    long long start = std::min<long long>(
        {static_cast<long long>(in.desired - new_tasks),
         static_cast<long long>(r.max_running) - (old_tasks + new_tasks), room});
    start = std::max<long long>(start, 0);
    int running_after = old_tasks + new_tasks + static_cast<int>(start);
    int stop = std::clamp(running_after - r.min_healthy, 0, old_tasks);
    // Old tasks beyond what min_healthy needs once the new ones are up all go.
    if (new_tasks + start >= in.desired) stop = old_tasks;
    if (start == 0 && stop == 0) {
      r.stuck = room <= 0 ? "no room for another task while keeping " +
                                std::to_string(r.min_healthy) + " healthy"
                          : "maximumPercent allows " + std::to_string(r.max_running) +
                                " running and minimumHealthyPercent needs " +
                                std::to_string(r.min_healthy) + " healthy";
      break;
    }
    r.steps.push_back({static_cast<int>(start), stop});
    new_tasks += static_cast<int>(start);
    old_tasks -= stop;
    room += stop - start;
  }
  return r;
}

}  // namespace stowage::plan
