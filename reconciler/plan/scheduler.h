// Scheduler: where tasks go, with ECS placement semantics (docs/ARCHITECTURE.md, Placement).
//
// ClusterView is the scheduler's mutable picture of the cluster: per host (cluster
// file order, addressed by index) its free CPU units and MiB, held host ports, task
// count and how many tasks of each service run there. It starts from the observed
// state; the planner keeps it current as it decides (AddTask/RemoveTask for what it
// keeps or stops by itself, Place/PlaceOn/PlaceDaemon/ChooseVictims update it too).
//
// Place() picks hosts for N identical tasks of one service: hosts that are reachable,
// active (not draining), have the CPU, memory and host ports (static ports free, a
// free port of the dynamic range for each hostPort 0) and pass the constraints
// (distinctInstance, memberOf) are kept; then the strategies run in order, each
// keeping only the hosts it likes best among those left (spread on host/instanceId/
// attribute:NAME: fewest tasks of this service on the host or attribute value;
// binpack cpu|memory: least of that resource left; random: one host drawn from a
// generator seeded by PlacementRequest::seed and the task's position). Ties left
// after the last strategy go to the host with the fewest tasks of the service, then
// the first host in cluster order. No strategy means spread on host.
// When a task fits nowhere, Placement::reasons says why, host by host.
//
// A view points into the Cluster it was built from, which must outlive it.
// Not thread-safe: one planner thread owns a view. Place() does no allocation per
// task once the view's scratch space is sized; per-host checks that cannot change
// while a service's tasks are placed are computed once per call.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/cluster.h"
#include "model/task_definition.h"
#include "observe/observed.h"
#include "query/query.h"

namespace stowage::plan {

// Docker's default ephemeral range: where the engine takes a port for hostPort 0.
inline constexpr int kFirstDynamicPort = 32768;
inline constexpr int kLastDynamicPort = 60999;

// What one task holds on a host.
struct TaskDemand {
  int cpu = 0;                                  // CPU units
  int memory = 0;                               // MiB (memoryReservation when set, else memory)
  std::vector<observe::HostPort> static_ports;  // sorted, no repeats
  int dynamic_tcp = 0;                          // hostPort 0 mappings: ports the engine picks
  int dynamic_udp = 0;
};

// Bridge: hostPort > 0 is static, 0 is dynamic; host network: containerPort is
// static; none: no ports.
TaskDemand DemandOf(const model::TaskDefinition& td);
// What an observed task holds (its cpu, memory and actual host ports).
TaskDemand UsageOf(const observe::ObservedTask& task);

struct PlacementRequest {
  std::string service;  // its tasks form the task group "service:<service>"
  TaskDemand demand;
  // The service's constraints followed by the task definition's.
  std::vector<model::PlacementConstraint> constraints;
  std::vector<model::PlacementStrategy> strategies;  // empty: spread on host
  std::uint64_t seed = 0;  // for `random`: use SeedFor() so plan and apply agree
};

// A seed for `random` derived from the plan's inputs.
std::uint64_t SeedFor(std::string_view source_revision, std::string_view service);

struct Placement {
  std::vector<int> hosts;  // host index of each placed task, in placement order
  int unplaced = 0;        // tasks no host could take
  // When unplaced > 0: why the first of them fit nowhere, one line per host in
  // cluster order: "web-2: memory 512 > 300 free", "web-3: memberOf attribute:zone == a",
  // "web-1: port 80 in use", "web-1: port 53/udp in use", "web-4: unreachable",
  // "web-5: draining", "web-1: cpu 1024 > 512 free", "web-2: distinctInstance",
  // "web-1: no free dynamic tcp port".
  std::vector<std::string> reasons;
};

class ClusterView {
 public:
  // Hosts in cluster order with capacity, usage and ports of the observed state,
  // every active task counted for its service. Hosts missing from `observed`
  // count as unreachable.
  ClusterView(const model::Cluster& cluster, const observe::ObservedState& observed);

  int size() const { return static_cast<int>(names_.size()); }
  int FindHost(std::string_view name) const;  // -1 when not registered
  const std::string& HostName(int h) const { return names_[h]; }
  const std::map<std::string, std::string>& Attributes(int h) const { return *attributes_[h]; }
  bool Reachable(int h) const { return reachable_[h] != 0; }
  bool Draining(int h) const { return draining_[h] != 0; }
  model::Resources Free(int h) const { return {cpu_free_[h], memory_free_[h]}; }
  int TasksOn(int h) const { return tasks_on_[h]; }  // runningTasksCount
  bool PortFree(int h, const observe::HostPort& port) const;
  int ServiceTasksOn(std::string_view service, int h) const;
  int ServiceTasks(std::string_view service) const;

  // Bookkeeping for decisions the planner makes itself (a kept task that was not
  // observed, a stop): RemoveTask exactly undoes AddTask with the same arguments.
  void AddTask(int h, std::string_view service, const TaskDemand& usage);
  void RemoveTask(int h, std::string_view service, const TaskDemand& usage);

 private:
  friend class Scheduler;
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
  struct ServiceCounts {
    std::string group;  // "service:<name>"
    int total = 0;
    std::vector<std::pair<int, int>> per_host;  // (host, tasks), by host
  };
  // A memberOf expression, parsed once per view; results cached per host when
  // they cannot change as tasks are placed.
  struct CompiledQuery {
    std::optional<query::Query> query;
    std::string error;                        // parse error (the loader should have rejected it)
    std::vector<std::uint8_t> static_result;  // per host, when !query->DependsOnTasks()
  };
  // Hosts numbered by their value of one attribute (hosts without it share a value).
  struct AttributeIndex {
    std::vector<int> value_of_host;
    int values = 0;
  };

  ServiceCounts& Service(std::string_view service);
  const ServiceCounts* FindService(std::string_view service) const;
  void Add(int h, ServiceCounts& service, const TaskDemand& usage);
  void Remove(int h, ServiceCounts& service, const TaskDemand& usage);
  const CompiledQuery& Compile(const std::string& expression);
  bool QueryMatches(const CompiledQuery& q, int h) const;
  const AttributeIndex& Attribute(const std::string& name);

  std::vector<std::string> names_;
  std::vector<const std::map<std::string, std::string>*> attributes_;
  std::vector<std::uint8_t> reachable_;
  std::vector<std::uint8_t> draining_;
  std::vector<int> cpu_free_;
  std::vector<int> memory_free_;
  std::vector<int> tasks_on_;
  std::vector<std::vector<std::uint32_t>> ports_;  // (udp << 16 | port), sorted multiset
  std::vector<int> dynamic_free_tcp_;
  std::vector<int> dynamic_free_udp_;
  std::vector<std::vector<std::string>> groups_;  // distinct task groups per host, sorted
  StringMap<int> host_index_;
  StringMap<ServiceCounts> services_;
  StringMap<CompiledQuery> queries_;
  StringMap<AttributeIndex> attribute_index_;
  // Scratch space reused by Place/ChooseVictims (kept zeroed / sized to size()).
  std::vector<int> scratch_count_;
  std::vector<std::uint8_t> scratch_mask_;
  std::vector<int> scratch_candidates_;
  std::vector<int> scratch_value_count_;
};

// Places up to `count` tasks of one service, reserving each in the view.
Placement Place(ClusterView& view, const PlacementRequest& request, int count);

// Places one task on host `h` if it is feasible there (state, constraints,
// resources, ports) and reserves it; otherwise returns the reason line.
std::optional<std::string> PlaceOn(ClusterView& view, const PlacementRequest& request, int h);

// True when host `h` may run a task of the request at all: reachable, active and
// passing memberOf (resources and distinctInstance not considered). DAEMON services
// run a task on exactly these hosts.
bool Eligible(ClusterView& view, const PlacementRequest& request, int h);
// Why host `h` is not Eligible: "unreachable", "draining" or the first memberOf
// it fails ("memberOf attribute:zone == a"); nullopt when it is.
std::optional<std::string> Ineligibility(ClusterView& view, const PlacementRequest& request, int h);

struct DaemonPlacement {
  std::vector<int> hosts;            // eligible hosts that got a new task (reserved)
  std::vector<std::string> reasons;  // eligible hosts without a task where it did not fit
};
// One task on every eligible host that has none of the service yet, cluster order.
DaemonPlacement PlaceDaemon(ClusterView& view, const PlacementRequest& request);

struct VictimCandidate {
  int host = 0;
  TaskDemand usage;  // what stopping it frees (UsageOf the observed task)
};
// Scale-in: chooses `count` of `candidates` (tasks of request.service, counted in
// the view) to stop, the ECS way: the strategies in order, each keeping the
// candidates it likes best — spread: on the host/attribute value with the most tasks
// of the service (keeps balance); binpack: on the host with the most of that resource
// free; random: seeded. Ties go to the earlier candidate. Returns indices into
// `candidates` in choice order; each is removed from the view as it is chosen.
std::vector<int> ChooseVictims(ClusterView& view, const PlacementRequest& request,
                               const std::vector<VictimCandidate>& candidates, int count);

}  // namespace stowage::plan
