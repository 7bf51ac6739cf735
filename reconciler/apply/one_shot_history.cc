#include "apply/one_shot_history.h"

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>

#include "apply/host_session.h"
#include "apply/task_ops.h"
#include "model/labels.h"

namespace stowage::apply {
namespace {

struct TaskAge {
  std::string id;
  std::int64_t created = 0;
  bool stopped = true;
};

std::string LabelOf(const runtime::ContainerSummary& c, const char* key) {
  auto it = c.labels.find(key);
  return it == c.labels.end() ? std::string() : it->second;
}

bool Stopped(runtime::ContainerState s) {
  return s == runtime::ContainerState::kExited || s == runtime::ContainerState::kDead;
}

}  // namespace

std::vector<std::string> OneShotsToRemove(const std::vector<runtime::ContainerSummary>& containers,
                                          int keep) {
  std::map<std::string, std::map<std::string, TaskAge>> families;  // family -> task -> age
  for (const auto& c : containers) {
    if (LabelOf(c, labels::kStandalone) != "true") continue;
    const std::string task = LabelOf(c, labels::kTask);
    if (task.empty()) continue;
    TaskAge& t = families[LabelOf(c, labels::kFamily)][task];
    t.id = task;
    t.created = std::max(t.created, c.created);
    t.stopped = t.stopped && Stopped(c.state);
  }
  std::vector<std::string> out;
  for (auto& [family, tasks] : families) {
    std::vector<TaskAge> stopped;
    for (auto& [id, t] : tasks) {
      if (t.stopped) stopped.push_back(t);
    }
    std::sort(stopped.begin(), stopped.end(), [](const TaskAge& a, const TaskAge& b) {
      return std::tie(a.created, a.id) > std::tie(b.created, b.id);  // newest first
    });
    for (size_t i = stopped.size(); i-- > static_cast<size_t>(std::max(keep, 0));) {
      out.push_back(stopped[i].id);
    }
  }
  return out;
}

std::vector<std::string> HostsWithOneShotHistory(const observe::ObservedState& observed, int keep) {
  std::vector<std::string> out;
  for (const auto& host : observed.hosts) {
    if (!host.reachable) continue;
    std::map<std::string, int> stopped;  // family -> stopped one-shot tasks
    for (std::size_t i : host.tasks) {
      const observe::ObservedTask& t = observed.tasks[i];
      if (t.standalone && !t.active) ++stopped[t.family];
    }
    if (std::any_of(stopped.begin(), stopped.end(),
                    [&](const auto& f) { return f.second >= keep; })) {
      out.push_back(host.name);
    }
  }
  return out;
}

PruneReport PruneOneShots(const model::Cluster& cluster, runtime::RuntimeFactory& factory,
                          const std::vector<std::string>& hosts, int keep, Clock& clock) {
  PruneReport report;
  for (const auto& name : hosts) {
    const model::Host* host = cluster.FindHost(name);
    if (host == nullptr) continue;
    auto rt = factory.Connect(*host);
    if (!rt.ok()) {
      report.errors.push_back("host " + name + ": " + rt.status().message());
      continue;
    }
    auto listed = (*rt)->List(
        {{labels::kCluster, cluster.name}, {labels::kHost, name}, {labels::kStandalone, "true"}});
    if (!listed.ok()) {
      report.errors.push_back("host " + name + ": " + listed.status().message());
      continue;
    }
    HostSession session(cluster.name, name, *rt, SessionBounds{}, clock);
    TaskOps ops(session, clock, GateOptions{});
    for (const auto& task : OneShotsToRemove(*listed, keep)) {
      if (Status st = ops.Remove(task); !st.ok()) {
        report.errors.push_back("host " + name + ": task " + task + ": " + st.message());
      } else {
        ++report.removed;
      }
    }
  }
  return report;
}

}  // namespace stowage::apply
