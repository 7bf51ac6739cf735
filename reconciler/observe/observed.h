// Observed state: what actually runs on the cluster's hosts, rebuilt from container labels.
//
// A Snapshot holds the raw answers of the engines (observe/snapshot.h takes
// it; this header does no I/O). BuildObservedState is pure:
// it turns a Snapshot into tasks (grouped by the io.stowage.task label), each with a
// status, and into per-host capacity, used CPU/memory and used host ports. Only
// containers carrying this cluster's label AND io.stowage.host equal to the
// registered host count for that host (two registered hosts may share one engine).
// Containers with the cluster label but no task/service label are counted as
// `stray`, never turned into tasks (the planner must not touch them).
// Retired containers (model/labels.h) are listed apart, never turned into tasks.
//
// Everything is in a deterministic order: hosts as in the cluster file, tasks by
// (service, task id), containers by name. Fingerprint() hashes what a saved plan
// depends on, so `apply PLANFILE` can refuse a stale plan and say which host changed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/cluster.h"
#include "model/desired_state.h"
#include "runtime/runtime.h"

namespace stowage::observe {

// --- snapshot: raw answers of the engines --------------------------------------------

struct HostSnapshot {
  std::string host;  // registered host name
  Status status;     // OK, or why Connect/Info/List failed (the host is then unreachable)
  runtime::HostInfo info;
  std::vector<runtime::ContainerSummary> containers;  // as listed (cluster + host labels)
  // With SnapshotOptions::inspect: what `docker update` may have changed, per
  // container id, for every running container of a task.
  std::map<std::string, runtime::UpdatableConfig> configs;
};

struct Snapshot {
  std::string cluster;
  std::vector<HostSnapshot> hosts;  // cluster file order
};

// --- observed state ------------------------------------------------------------------

enum class TaskStatus {
  kPending,     // a container is created (or restarting/paused) but not running yet
  kRunning,     // every container running; health not (yet) known or no health check
  kHealthy,     // running, and every container with a health check reports healthy
  kUnhealthy,   // running, and a container reports unhealthy
  kExited,      // an essential container exited or is dead (exit_code says how)
  kIncomplete,  // a container of the task definition is missing on the host
};
const char* TaskStatusName(TaskStatus s);

struct ObservedContainer {
  std::string name;  // name inside the task (io.stowage.container)
  std::string id;
  std::string engine_name;  // <service>.<container>.<task-id>
  runtime::ContainerState state = runtime::ContainerState::kCreated;
  runtime::Health health = runtime::Health::kNone;
  std::optional<int> exit_code;
  std::string spec_hash;  // io.stowage.spec-hash ("" if absent)
  std::string image_id;   // "sha256:...": what it runs ("" when the engine did not say)
  std::vector<runtime::PublishedPort> ports;
  std::int64_t created = 0;
  runtime::Labels labels;  // as listed, for drift checks
  // As inspected (SnapshotOptions::inspect); unset when not inspected.
  std::optional<runtime::UpdatableConfig> config;
};

struct HostPort {
  int port = 0;
  std::string protocol = "tcp";
  bool operator==(const HostPort&) const = default;
  auto operator<=>(const HostPort&) const = default;
};

struct ObservedTask {
  std::string id;
  std::string service;
  std::string family;
  std::string revision;
  std::string host;  // registered host name
  bool standalone = false;
  TaskStatus status = TaskStatus::kRunning;
  std::optional<int> exit_code;  // kExited: the first exited essential container's code
  std::vector<ObservedContainer> containers;  // by name
  std::vector<std::string> missing;           // containers of the definition absent on the host
  // What the task reserves on its host (task definition if its revision is known,
  // else the io.stowage.cpu / io.stowage.memory labels, else 0 with resources_known false).
  int cpu = 0;
  int memory = 0;
  bool resources_known = false;
  std::vector<HostPort> ports;  // host ports it holds while active, sorted
  // Holds resources: a container is running or about to run (created, restarting, paused)
  // and the task has not exited.
  bool active = false;
  std::int64_t created = 0;  // earliest container creation time (unix seconds)
  const ObservedContainer* Find(const std::string& name) const;
};

// A container of an old task that stowage told to stop (model/labels.h,
// RetiredName): not a task any more; its engine kills it by `deadline`.
struct RetiredContainer {
  std::string id;
  std::string name;  // the retired name, as the engine lists it
  std::string task;  // io.stowage.task
  std::string service;
  bool running = false;       // still running (or about to): it holds its host ports
  std::int64_t deadline = 0;  // unix seconds
};

struct ObservedHost {
  std::string name;
  model::HostState state = model::HostState::kActive;
  bool reachable = false;
  Status error;  // why unreachable
  // Unreachable, and `tasks` are what it ran when it last answered, carried over
  // by a caller with memory (plan/host_memory.h); otherwise an unreachable host
  // has no tasks in the observed state because nobody knows them.
  bool remembered = false;
  runtime::HostInfo info;
  model::Resources capacity;       // (cluster `capacity`, else engine) minus `reserved`
  model::Resources used;           // by active tasks
  std::vector<HostPort> ports;     // held by active tasks, sorted, may repeat on conflicts
  std::vector<std::size_t> tasks;  // indices into ObservedState::tasks, in task order
  int active_tasks = 0;
  int stray_containers = 0;  // cluster-labelled, but without task/service labels
  // Retired containers, by name. Not in the fingerprints: one that exits
  // changes no plan. Their host ports, while running, are in `ports`.
  std::vector<RetiredContainer> retired;
  model::Resources Free() const { return {capacity.cpu - used.cpu, capacity.memory - used.memory}; }
};

struct ObservedState {
  std::string cluster;
  std::vector<ObservedHost> hosts;  // cluster file order
  std::vector<ObservedTask> tasks;  // by (service, id)

  const ObservedHost* FindHost(const std::string& name) const;
  const ObservedTask* FindTask(const std::string& task_id) const;
  // Tasks of one service, in task order.
  std::vector<const ObservedTask*> TasksOf(const std::string& service) const;
  std::vector<std::string> UnreachableHosts() const;

  // 32 hex characters; changes whenever a host's reachability, capacity or tasks
  // (ids, revisions, statuses, containers, ports) change.
  std::string Fingerprint() const;
  // Fingerprint() from HostFingerprints() already computed (a planner needs both).
  std::string Fingerprint(
      const std::vector<std::pair<std::string, std::string>>& host_fingerprints) const;
  std::string HostFingerprint(const std::string& host) const;  // "" for an unknown host
  // (host, HostFingerprint) for every host, cluster order: what a saved plan records.
  std::vector<std::pair<std::string, std::string>> HostFingerprints() const;
};

// The task definition a task of (family, revision) runs, or nullptr when unknown
// (an older revision than the source's, or a family no longer in the source).
using TaskDefinitionLookup = std::function<const model::TaskDefinition*(
    const std::string& family, const std::string& revision)>;
// Looks up the desired state's definitions (matching revision only).
TaskDefinitionLookup LookupIn(const model::DesiredState& desired);

// Pure. Without a lookup (or for unknown revisions) a container is essential
// unless labelled io.stowage.essential=false, and none can be reported missing.
ObservedState BuildObservedState(const model::Cluster& cluster, const Snapshot& snapshot,
                                 const TaskDefinitionLookup& lookup = nullptr);
// The same, consuming the snapshot: container ids, names, labels and ports are
// moved into the observed state instead of copied (at 50,000 tasks the labels
// alone are a million strings). The snapshot is left valid but unspecified.
ObservedState BuildObservedState(const model::Cluster& cluster, Snapshot&& snapshot,
                                 const TaskDefinitionLookup& lookup = nullptr);

// Hosts whose fingerprints differ between `before` (e.g. from a saved plan) and
// `now`: names, cluster order of `now`, then hosts only in `before`.
std::vector<std::string> ChangedHosts(
    const std::vector<std::pair<std::string, std::string>>& before,
    const std::vector<std::pair<std::string, std::string>>& now);

}  // namespace stowage::observe
