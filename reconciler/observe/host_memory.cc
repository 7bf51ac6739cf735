#include "observe/host_memory.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace stowage::observe {
namespace {

// Re-sorts the tasks by (service, id) and rebuilds every host's task list and usage.
void Reindex(ObservedState& observed) {
  std::sort(observed.tasks.begin(), observed.tasks.end(), [](const auto& a, const auto& b) {
    return std::tie(a.service, a.id) < std::tie(b.service, b.id);
  });
  std::map<std::string, ObservedHost*> hosts;
  for (auto& h : observed.hosts) {
    h.tasks.clear();
    hosts[h.name] = &h;
  }
  for (std::size_t i = 0; i < observed.tasks.size(); ++i) {
    auto it = hosts.find(observed.tasks[i].host);
    if (it != hosts.end()) it->second->tasks.push_back(i);
  }
}

void Carry(ObservedHost& host, const std::vector<ObservedTask>& tasks, ObservedState& observed) {
  host.remembered = true;
  host.used = {};
  host.ports.clear();
  host.active_tasks = 0;
  for (const auto& t : tasks) {
    observed.tasks.push_back(t);
    if (!t.active) continue;
    host.used.cpu += t.cpu;
    host.used.memory += t.memory;
    host.ports.insert(host.ports.end(), t.ports.begin(), t.ports.end());
    ++host.active_tasks;
  }
  std::sort(host.ports.begin(), host.ports.end());
}

}  // namespace

void HostMemory::Update(ObservedState& observed, Time now) {
  std::set<std::string> present;
  bool carried = false;
  for (auto& h : observed.hosts) {
    present.insert(h.name);
    if (h.reachable) {
      down_since_.erase(h.name);
      auto& tasks = last_tasks_[h.name];
      tasks.clear();
      for (std::size_t i : h.tasks) tasks.push_back(observed.tasks[i]);
      continue;
    }
    down_since_.emplace(h.name, now);
    auto last = last_tasks_.find(h.name);
    if (last == last_tasks_.end() || h.remembered) continue;
    Carry(h, last->second, observed);
    carried = true;
  }
  std::erase_if(down_since_, [&](const auto& e) { return present.count(e.first) == 0; });
  std::erase_if(last_tasks_, [&](const auto& e) { return present.count(e.first) == 0; });
  if (carried) Reindex(observed);
}

}  // namespace stowage::observe
