// ClusterView: per-host free resources, ports and task counts, kept incrementally.
#include <algorithm>

#include "plan/scheduler.h"

namespace stowage::plan {
namespace {

constexpr int kDynamicRangeSize = kLastDynamicPort - kFirstDynamicPort + 1;

std::uint32_t PortKey(const observe::HostPort& p) {
  return (p.protocol == "udp" ? 1u << 16 : 0u) | static_cast<std::uint32_t>(p.port);
}

bool InDynamicRange(int port) { return port >= kFirstDynamicPort && port <= kLastDynamicPort; }

}  // namespace

TaskDemand DemandOf(const model::TaskDefinition& td) {
  TaskDemand d;
  d.cpu = td.CpuUnits();
  d.memory = td.MemoryMiB();
  if (td.network_mode == model::NetworkMode::kNone) return d;
  for (const auto& c : td.containers) {
    for (const auto& pm : c.port_mappings) {
      int port = td.network_mode == model::NetworkMode::kHost ? pm.container_port : pm.host_port;
      if (port > 0) {
        d.static_ports.push_back({port, pm.protocol});
      } else if (pm.protocol == "udp") {
        ++d.dynamic_udp;
      } else {
        ++d.dynamic_tcp;
      }
    }
  }
  std::sort(d.static_ports.begin(), d.static_ports.end());
  d.static_ports.erase(std::unique(d.static_ports.begin(), d.static_ports.end()),
                       d.static_ports.end());
  return d;
}

TaskDemand UsageOf(const observe::ObservedTask& task) {
  TaskDemand d;
  d.cpu = task.cpu;
  d.memory = task.memory;
  d.static_ports = task.ports;
  return d;
}

ClusterView::ClusterView(const model::Cluster& cluster, const observe::ObservedState& observed) {
  std::size_t n = cluster.hosts.size();
  names_.reserve(n);
  reachable_.assign(n, 0);
  draining_.assign(n, 0);
  cpu_free_.assign(n, 0);
  memory_free_.assign(n, 0);
  tasks_on_.assign(n, 0);
  ports_.resize(n);
  dynamic_free_tcp_.assign(n, kDynamicRangeSize);
  dynamic_free_udp_.assign(n, kDynamicRangeSize);
  groups_.resize(n);
  scratch_count_.assign(n, 0);
  scratch_mask_.assign(n, 0);
  scratch_candidates_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const model::Host& host = cluster.hosts[i];
    names_.push_back(host.name);
    host_index_.emplace(host.name, static_cast<int>(i));
    attributes_.push_back(&host.attributes);
    draining_[i] = host.state == model::HostState::kDraining ? 1 : 0;
    const observe::ObservedHost* oh =
        i < observed.hosts.size() && observed.hosts[i].name == host.name
            ? &observed.hosts[i]  // the usual case: same order
            : observed.FindHost(host.name);
    if (oh == nullptr) continue;
    reachable_[i] = oh->reachable ? 1 : 0;
    cpu_free_[i] = oh->capacity.cpu;
    memory_free_[i] = oh->capacity.memory;
  }
  for (const auto& t : observed.tasks) {
    int h = FindHost(t.host);
    if (h >= 0 && t.active) AddTask(h, t.service, UsageOf(t));
  }
}

int ClusterView::FindHost(std::string_view name) const {
  auto it = host_index_.find(name);
  return it == host_index_.end() ? -1 : it->second;
}

bool ClusterView::PortFree(int h, const observe::HostPort& port) const {
  return !std::binary_search(ports_[h].begin(), ports_[h].end(), PortKey(port));
}

ClusterView::ServiceCounts& ClusterView::Service(std::string_view service) {
  auto it = services_.find(service);
  if (it == services_.end()) {
    it = services_.emplace(std::string(service), ServiceCounts{}).first;
    it->second.group = query::ServiceTaskGroup(service);
  }
  return it->second;
}

const ClusterView::ServiceCounts* ClusterView::FindService(std::string_view service) const {
  auto it = services_.find(service);
  return it == services_.end() ? nullptr : &it->second;
}

int ClusterView::ServiceTasksOn(std::string_view service, int h) const {
  const ServiceCounts* s = FindService(service);
  if (s == nullptr) return 0;
  auto it = std::lower_bound(s->per_host.begin(), s->per_host.end(), std::pair<int, int>{h, 0});
  return it != s->per_host.end() && it->first == h ? it->second : 0;
}

int ClusterView::ServiceTasks(std::string_view service) const {
  const ServiceCounts* s = FindService(service);
  return s == nullptr ? 0 : s->total;
}

void ClusterView::AddTask(int h, std::string_view service, const TaskDemand& usage) {
  Add(h, Service(service), usage);
}

void ClusterView::RemoveTask(int h, std::string_view service, const TaskDemand& usage) {
  Remove(h, Service(service), usage);
}

void ClusterView::Add(int h, ServiceCounts& service, const TaskDemand& usage) {
  cpu_free_[h] -= usage.cpu;
  memory_free_[h] -= usage.memory;
  ++tasks_on_[h];
  auto& ports = ports_[h];
  for (const auto& p : usage.static_ports) {
    std::uint32_t key = PortKey(p);
    ports.insert(std::upper_bound(ports.begin(), ports.end(), key), key);
    if (InDynamicRange(p.port)) --(p.protocol == "udp" ? dynamic_free_udp_ : dynamic_free_tcp_)[h];
  }
  dynamic_free_tcp_[h] -= usage.dynamic_tcp;
  dynamic_free_udp_[h] -= usage.dynamic_udp;
  ++service.total;
  auto it =
      std::lower_bound(service.per_host.begin(), service.per_host.end(), std::pair<int, int>{h, 0});
  if (it != service.per_host.end() && it->first == h) {
    ++it->second;
  } else {
    service.per_host.insert(it, {h, 1});
    auto& groups = groups_[h];  // the service's first task on the host
    groups.insert(std::lower_bound(groups.begin(), groups.end(), service.group), service.group);
  }
}

void ClusterView::Remove(int h, ServiceCounts& service, const TaskDemand& usage) {
  cpu_free_[h] += usage.cpu;
  memory_free_[h] += usage.memory;
  --tasks_on_[h];
  auto& ports = ports_[h];
  for (const auto& p : usage.static_ports) {
    auto it = std::lower_bound(ports.begin(), ports.end(), PortKey(p));
    if (it != ports.end() && *it == PortKey(p)) ports.erase(it);
    if (InDynamicRange(p.port)) ++(p.protocol == "udp" ? dynamic_free_udp_ : dynamic_free_tcp_)[h];
  }
  dynamic_free_tcp_[h] += usage.dynamic_tcp;
  dynamic_free_udp_[h] += usage.dynamic_udp;
  --service.total;
  auto it =
      std::lower_bound(service.per_host.begin(), service.per_host.end(), std::pair<int, int>{h, 0});
  if (it != service.per_host.end() && it->first == h && --it->second == 0) {
    service.per_host.erase(it);
    auto& groups = groups_[h];  // the service's last task left the host
    auto g = std::lower_bound(groups.begin(), groups.end(), service.group);
    if (g != groups.end() && *g == service.group) groups.erase(g);
  }
}

bool ClusterView::QueryMatches(const CompiledQuery& q, int h) const {
  if (!q.query) return false;
  if (!q.static_result.empty()) return q.static_result[h] != 0;
  query::HostFacts facts;
  facts.name = names_[h];
  facts.attributes = attributes_[h];
  facts.running_tasks_count = tasks_on_[h];
  facts.task_groups = groups_[h];
  facts.task_groups_sorted = true;
  return q.query->Matches(facts);
}

const ClusterView::CompiledQuery& ClusterView::Compile(const std::string& expression) {
  auto it = queries_.find(expression);
  if (it != queries_.end()) return it->second;
  CompiledQuery q;
  auto parsed = query::ParseQuery(expression);
  if (parsed.ok()) {
    q.query = std::move(*parsed);
  } else {
    q.error = parsed.status().message();
  }
  auto& entry = queries_.emplace(expression, std::move(q)).first->second;
  if (entry.query && !entry.query->DependsOnTasks()) {
    std::vector<std::uint8_t> result(static_cast<std::size_t>(size()));
    for (int h = 0; h < size(); ++h) result[h] = QueryMatches(entry, h) ? 1 : 0;
    entry.static_result = std::move(result);
  }
  return entry;
}

const ClusterView::AttributeIndex& ClusterView::Attribute(const std::string& name) {
  auto it = attribute_index_.find(name);
  if (it != attribute_index_.end()) return it->second;
  AttributeIndex index;
  std::map<std::string, int> ids;  // hosts without the attribute get value ""
  for (int h = 0; h < size(); ++h) {
    auto a = attributes_[h]->find(name);
    const std::string& value = a == attributes_[h]->end() ? std::string() : a->second;
    auto [id, inserted] = ids.emplace(value, static_cast<int>(ids.size()));
    index.value_of_host.push_back(id->second);
  }
  index.values = static_cast<int>(ids.size());
  return attribute_index_.emplace(name, std::move(index)).first->second;
}

}  // namespace stowage::plan
