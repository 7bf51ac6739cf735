// BuildObservedState: tasks, statuses and host usage from a Snapshot (pure).
#include "observe/observed.h"

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <tuple>
#include <unordered_map>

#include "model/labels.h"
#include "util/hash.h"

namespace stowage::observe {
namespace {

using runtime::ContainerState;
using runtime::Health;

const std::string* Label(const runtime::Labels& l, const char* key) {
  auto it = l.find(key);
  return it == l.end() ? nullptr : &it->second;
}

// Bounds a cpu/memory label to what an int holds.
constexpr std::int64_t kMaxLabelResource = std::numeric_limits<int>::max();

bool Stopped(ContainerState s) {
  return s == ContainerState::kExited || s == ContainerState::kDead ||
         s == ContainerState::kRemoving;
}

// Moves the container's strings, labels and ports out of `c` (a snapshot the
// caller owns and no longer needs).
ObservedContainer ToContainer(runtime::ContainerSummary& c) {
  ObservedContainer oc;
  const std::string* name = Label(c.labels, labels::kContainer);
  oc.name = name != nullptr ? *name : c.name;
  oc.id = std::move(c.id);
  oc.engine_name = std::move(c.name);
  oc.state = c.state;
  oc.health = c.health;
  oc.exit_code = c.exit_code;
  if (const std::string* h = Label(c.labels, labels::kSpecHash)) oc.spec_hash = *h;
  oc.ports = std::move(c.ports);
  oc.created = c.created;
  oc.image_id = c.image_id;
  oc.labels = std::move(c.labels);
  return oc;
}

// The definition says; without it, the io.stowage.essential label; else essential.
bool Essential(const model::TaskDefinition* td, const ObservedContainer& c) {
  if (td != nullptr) {
    const model::ContainerDefinition* cd = td->FindContainer(c.name);
    return cd == nullptr || cd->essential;
  }
  const std::string* label = Label(c.labels, labels::kEssential);
  return label == nullptr || *label != "false";
}

void ComputeStatus(ObservedTask& t, const model::TaskDefinition* td) {
  if (td != nullptr) {
    for (const auto& cd : td->containers) {
      if (t.Find(cd.name) == nullptr) t.missing.push_back(cd.name);
    }
  }
  bool unhealthy = false, pending = false, any_health = false, all_healthy = true;
  for (const auto& c : t.containers) {
    if (Stopped(c.state)) {
      if (Essential(td, c) && t.status != TaskStatus::kExited) {
        t.status = TaskStatus::kExited;
        t.exit_code = c.exit_code;
      }
      continue;
    }
    if (c.state != ContainerState::kRunning) pending = true;
    if (c.health == Health::kUnhealthy) unhealthy = true;
    if (c.health != Health::kNone) {
      any_health = true;
      all_healthy = all_healthy && c.health == Health::kHealthy;
    }
  }
  if (t.status == TaskStatus::kExited) return;
  if (!t.missing.empty()) {
    t.status = TaskStatus::kIncomplete;
  } else if (unhealthy) {
    t.status = TaskStatus::kUnhealthy;
  } else if (pending) {
    t.status = TaskStatus::kPending;
  } else if (any_health && all_healthy) {
    t.status = TaskStatus::kHealthy;
  } else {
    t.status = TaskStatus::kRunning;
  }
}

void ComputeUsage(ObservedTask& t, const model::TaskDefinition* td) {
  if (td != nullptr) {
    t.cpu = td->CpuUnits();
    t.memory = td->MemoryMiB();
    t.resources_known = true;
  } else {
    for (const auto& c : t.containers) {
      // Labels anyone may have edited: unusable values leave the usage unknown.
      auto cpu = labels::IntLabel(c.labels, labels::kCpu, -1, kMaxLabelResource);
      auto mem = labels::IntLabel(c.labels, labels::kMemory, -1, kMaxLabelResource);
      if (cpu.ok() && mem.ok() && *cpu >= 0 && *mem >= 0) {
        t.cpu = static_cast<int>(*cpu);
        t.memory = static_cast<int>(*mem);
        t.resources_known = true;
        break;
      }
    }
  }
  t.active = false;
  for (const auto& c : t.containers) {
    if (!Stopped(c.state)) t.active = true;
  }
  if (t.status == TaskStatus::kExited) t.active = false;
  if (!t.active) return;
  for (const auto& c : t.containers) {
    if (c.state != ContainerState::kRunning) continue;
    for (const auto& p : c.ports) {
      if (p.host_port > 0) t.ports.push_back({p.host_port, p.protocol});
    }
    const model::ContainerDefinition* cd = td != nullptr ? td->FindContainer(c.name) : nullptr;
    if (cd != nullptr && td->network_mode == model::NetworkMode::kHost) {
      for (const auto& pm : cd->port_mappings) t.ports.push_back({pm.container_port, pm.protocol});
    }
  }
  std::sort(t.ports.begin(), t.ports.end());
  t.ports.erase(std::unique(t.ports.begin(), t.ports.end()), t.ports.end());
}

ObservedTask MakeTask(const std::vector<runtime::ContainerSummary*>& containers,
                      const std::string& host, const TaskDefinitionLookup& lookup) {
  ObservedTask t;
  const runtime::Labels& first = containers.front()->labels;
  t.id = first.at(labels::kTask);
  t.service = first.at(labels::kService);
  if (const std::string* f = Label(first, labels::kFamily)) t.family = *f;
  if (const std::string* r = Label(first, labels::kRevision)) t.revision = *r;
  const std::string* standalone = Label(first, labels::kStandalone);
  t.standalone = standalone != nullptr && *standalone == "true";
  t.host = host;
  t.containers.reserve(containers.size());
  for (auto* c : containers) t.containers.push_back(ToContainer(*c));
  std::sort(t.containers.begin(), t.containers.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  t.created = t.containers.front().created;
  for (const auto& c : t.containers) t.created = std::min(t.created, c.created);
  const model::TaskDefinition* td = lookup ? lookup(t.family, t.revision) : nullptr;
  ComputeStatus(t, td);
  ComputeUsage(t, td);
  return t;
}

model::Resources Capacity(const model::Host& host, const runtime::HostInfo& info, bool reachable) {
  model::Resources cap;
  if (host.capacity) {
    cap = *host.capacity;
  } else if (reachable) {
    cap = {info.CpuUnits(), info.MemoryMiB()};
  }
  return {cap.cpu - host.reserved.cpu, cap.memory - host.reserved.memory};
}

void AddRetired(const runtime::ContainerSummary& c, const std::string& task,
                const std::string& service, std::int64_t deadline, ObservedHost& oh) {
  RetiredContainer r{c.id, c.name, task, service, !Stopped(c.state), deadline};
  if (r.running) {
    for (const auto& p : c.ports) {
      if (p.host_port > 0) oh.ports.push_back({p.host_port, p.protocol});
    }
  }
  oh.retired.push_back(std::move(r));
}

// Fills `oh` and appends its tasks to `tasks`.
void ObserveHost(const model::Cluster& cluster, const model::Host& host, HostSnapshot* hs,
                 const TaskDefinitionLookup& lookup, ObservedHost& oh,
                 std::vector<ObservedTask>& tasks) {
  oh.name = host.name;
  oh.state = host.state;
  if (hs == nullptr) {
    oh.error = Status::Unreachable("host " + host.name + " was not asked");
  } else {
    oh.error = hs->status;
    oh.info = hs->info;
  }
  oh.reachable = oh.error.ok();
  oh.capacity = Capacity(host, oh.info, oh.reachable);
  if (!oh.reachable) return;
  std::map<std::string, std::vector<runtime::ContainerSummary*>> by_task;
  for (auto& c : hs->containers) {
    const std::string* cl = Label(c.labels, labels::kCluster);
    const std::string* h = Label(c.labels, labels::kHost);
    if (cl == nullptr || *cl != cluster.name || h == nullptr || *h != host.name) continue;
    const std::string* task = Label(c.labels, labels::kTask);
    const std::string* service = Label(c.labels, labels::kService);
    if (task == nullptr || task->empty() || service == nullptr) {
      ++oh.stray_containers;
      continue;
    }
    if (auto deadline = labels::RetiredDeadline(c.name)) {
      AddRetired(c, *task, *service, *deadline, oh);
      continue;
    }
    by_task[*task].push_back(&c);
  }
  std::sort(oh.retired.begin(), oh.retired.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (auto& [id, containers] : by_task) {
    ObservedTask t = MakeTask(containers, host.name, lookup);
    if (!hs->configs.empty()) {
      for (auto& c : t.containers) {
        auto config = hs->configs.find(c.id);
        if (config != hs->configs.end()) c.config = config->second;
      }
    }
    if (t.active) {
      oh.used.cpu += t.cpu;
      oh.used.memory += t.memory;
      oh.ports.insert(oh.ports.end(), t.ports.begin(), t.ports.end());
      ++oh.active_tasks;
    }
    tasks.push_back(std::move(t));
  }
  std::sort(oh.ports.begin(), oh.ports.end());
}

void HashHost(Hasher& h, const ObservedHost& host, const std::vector<ObservedTask>& tasks) {
  h.Add(host.name).Add(host.reachable ? 1 : 0);
  if (!host.reachable) h.Add(Status::CodeName(host.error.code()));
  h.Add(host.capacity.cpu).Add(host.capacity.memory).Add(host.stray_containers);
  for (std::size_t i : host.tasks) {
    const ObservedTask& t = tasks[i];
    h.Add(t.id).Add(t.service).Add(t.family).Add(t.revision).Add(TaskStatusName(t.status));
    h.Add(t.exit_code.value_or(-1)).Add(t.active ? 1 : 0).Add(t.cpu).Add(t.memory);
    for (const auto& c : t.containers) {
      h.Add(c.name).Add(c.id).Add(runtime::ContainerStateName(c.state));
      h.Add(runtime::HealthName(c.health)).Add(c.spec_hash).Add(c.engine_name);
      if (c.config) {
        h.Add(c.config->cpu_shares).Add(c.config->memory_bytes);
        h.Add(c.config->memory_reservation_bytes).Add(c.config->restart_policy);
      }
      for (const auto& p : c.ports) h.Add(p.container_port).Add(p.host_port).Add(p.protocol);
    }
  }
}

}  // namespace

const char* TaskStatusName(TaskStatus s) {
  switch (s) {
    case TaskStatus::kPending:
      return "pending";
    case TaskStatus::kRunning:
      return "running";
    case TaskStatus::kHealthy:
      return "healthy";
    case TaskStatus::kUnhealthy:
      return "unhealthy";
    case TaskStatus::kExited:
      return "exited";
    case TaskStatus::kIncomplete:
      return "incomplete";
  }
  return "running";
}

const ObservedContainer* ObservedTask::Find(const std::string& container) const {
  for (const auto& c : containers) {
    if (c.name == container) return &c;
  }
  return nullptr;
}

TaskDefinitionLookup LookupIn(const model::DesiredState& desired) {
  auto index = std::make_shared<std::unordered_map<std::string, const model::TaskDefinition*>>();
  for (const auto& td : desired.task_definitions) (*index)[td.family] = &td;
  return [index](const std::string& family,
                 const std::string& revision) -> const model::TaskDefinition* {
    auto it = index->find(family);
    if (it == index->end() || it->second->revision != revision) return nullptr;
    return it->second;
  };
}

ObservedState BuildObservedState(const model::Cluster& cluster, const Snapshot& snapshot,
                                 const TaskDefinitionLookup& lookup) {
  Snapshot copy = snapshot;
  return BuildObservedState(cluster, std::move(copy), lookup);
}

ObservedState BuildObservedState(const model::Cluster& cluster, Snapshot&& snapshot,
                                 const TaskDefinitionLookup& lookup) {
  ObservedState st;
  st.cluster = cluster.name;
  std::unordered_map<std::string, HostSnapshot*> by_name;
  for (auto& hs : snapshot.hosts) by_name.emplace(hs.host, &hs);
  st.hosts.resize(cluster.hosts.size());
  for (std::size_t i = 0; i < cluster.hosts.size(); ++i) {
    auto it = by_name.find(cluster.hosts[i].name);
    ObserveHost(cluster, cluster.hosts[i], it == by_name.end() ? nullptr : it->second, lookup,
                st.hosts[i], st.tasks);
  }
  std::sort(st.tasks.begin(), st.tasks.end(), [](const auto& a, const auto& b) {
    return std::tie(a.service, a.id, a.host) < std::tie(b.service, b.id, b.host);
  });
  std::unordered_map<std::string, std::size_t> host_index;
  for (std::size_t i = 0; i < st.hosts.size(); ++i) host_index.emplace(st.hosts[i].name, i);
  for (std::size_t i = 0; i < st.tasks.size(); ++i) {
    st.hosts[host_index.at(st.tasks[i].host)].tasks.push_back(i);
  }
  return st;
}

const ObservedHost* ObservedState::FindHost(const std::string& name) const {
  for (const auto& h : hosts) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

const ObservedTask* ObservedState::FindTask(const std::string& task_id) const {
  for (const auto& t : tasks) {
    if (t.id == task_id) return &t;
  }
  return nullptr;
}

std::vector<const ObservedTask*> ObservedState::TasksOf(const std::string& service) const {
  auto lo =
      std::lower_bound(tasks.begin(), tasks.end(), service,
                       [](const ObservedTask& t, const std::string& s) { return t.service < s; });
  std::vector<const ObservedTask*> out;
  for (auto it = lo; it != tasks.end() && it->service == service; ++it) out.push_back(&*it);
  return out;
}

std::vector<std::string> ObservedState::UnreachableHosts() const {
  std::vector<std::string> out;
  for (const auto& h : hosts) {
    if (!h.reachable) out.push_back(h.name);
  }
  return out;
}

std::string ObservedState::HostFingerprint(const std::string& host) const {
  const ObservedHost* h = FindHost(host);
  if (h == nullptr) return "";
  Hasher hasher;
  HashHost(hasher, *h, tasks);
  return hasher.HexDigest();
}

std::vector<std::pair<std::string, std::string>> ObservedState::HostFingerprints() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& h : hosts) {
    Hasher hasher;
    HashHost(hasher, h, tasks);
    out.emplace_back(h.name, hasher.HexDigest());
  }
  return out;
}

std::string ObservedState::Fingerprint() const { return Fingerprint(HostFingerprints()); }

std::string ObservedState::Fingerprint(
    const std::vector<std::pair<std::string, std::string>>& host_fingerprints) const {
  Hasher hasher;
  hasher.Add(cluster);
  for (const auto& [name, fp] : host_fingerprints) hasher.Add(name).Add(fp);
  return hasher.HexDigest();
}

std::vector<std::string> ChangedHosts(
    const std::vector<std::pair<std::string, std::string>>& before,
    const std::vector<std::pair<std::string, std::string>>& now) {
  std::map<std::string, std::string> old(before.begin(), before.end());
  std::vector<std::string> out;
  for (const auto& [name, fp] : now) {
    auto it = old.find(name);
    if (it == old.end() || it->second != fp) out.push_back(name);
    if (it != old.end()) old.erase(it);
  }
  for (const auto& [name, fp] : before) {
    if (old.count(name) != 0) out.push_back(name);
  }
  return out;
}

}  // namespace stowage::observe
