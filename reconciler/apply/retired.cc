#include "apply/retired.h"

#include <map>
#include <set>

#include "apply/clock.h"
#include "apply/host_session.h"
#include "util/printable.h"

namespace stowage::apply {
namespace {

// Due: exited, or running past its deadline and the grace.
bool Due(const observe::RetiredContainer& r, std::int64_t now_unix) {
  return !r.running || now_unix > r.deadline + kRetiredGraceSeconds;
}

void CleanHost(const std::string& cluster, const model::Host& host,
               const observe::ObservedState& observed, const observe::ObservedHost& oh,
               runtime::RuntimeFactory& runtimes, std::int64_t now_unix, RetiredCleanup& out) {
  auto rt = runtimes.Connect(host);
  if (!rt.ok()) {
    out.errors.push_back(rt.status());
    return;
  }
  HostSession session(cluster, host.name, std::move(*rt), {}, SystemClock());
  std::map<std::string, int> left;  // task -> its retired containers not removed
  for (const auto& r : oh.retired) {
    ++left[r.task];
    if (!Due(r, now_unix)) continue;
    Status st = session.Remove(r.id);
    if (!st.ok() && st.code() != Status::Code::kNotFound) {
      out.errors.push_back(Status(st.code(), "host " + host.name + ": removing retired container " +
                                                 Printable(r.name) + ": " + st.message()));
      continue;
    }
    --left[r.task];
    ++(r.running ? out.killed : out.removed);
  }
  for (const auto& [task, n] : left) {
    // The task's own volumes go with its last container (a task id seen
    // again among the tasks is not gone).
    if (n > 0 || observed.FindTask(task) != nullptr) continue;
    if (Status st = session.RemoveTaskVolumes(task); !st.ok()) out.errors.push_back(st);
  }
}

}  // namespace

RetiredCleanup CleanUpRetired(const model::Cluster& cluster, const observe::ObservedState& observed,
                              runtime::RuntimeFactory& runtimes, std::int64_t now_unix) {
  RetiredCleanup out;
  for (const auto& oh : observed.hosts) {
    if (!oh.reachable || oh.retired.empty()) continue;
    bool due = false;
    for (const auto& r : oh.retired) due = due || Due(r, now_unix);
    const model::Host* host = cluster.FindHost(oh.name);
    if (!due || host == nullptr) continue;
    CleanHost(cluster.name, *host, observed, oh, runtimes, now_unix, out);
  }
  return out;
}

}  // namespace stowage::apply
