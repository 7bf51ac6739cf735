// TakeSnapshot: Info + one List per registered host, hosts asked concurrently.
#include <algorithm>
#include <atomic>
#include <functional>
#include <optional>
#include <thread>

#include "model/labels.h"
#include "observe/observed.h"
#include "observe/snapshot.h"

namespace stowage::observe {
namespace {

// Calls fn(0..n-1), at most `parallel` at a time.
void ForEachConcurrently(std::size_t n, int parallel, const std::function<void(std::size_t)>& fn) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  std::size_t threads = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, parallel)));
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
}

// The updatable configuration of every running task container; a container
// gone since the list is skipped. Up to `parallel` inspects at a time: each is
// a round trip to the engine (through sshd for ssh:// hosts).
void InspectTasks(runtime::Runtime& rt, HostSnapshot& out, int parallel) {
  std::vector<const runtime::ContainerSummary*> tasks;
  for (const auto& c : out.containers) {
    if (c.state == runtime::ContainerState::kRunning && c.labels.contains(labels::kTask)) {
      tasks.push_back(&c);
    }
  }
  std::vector<std::optional<runtime::UpdatableConfig>> configs(tasks.size());
  ForEachConcurrently(tasks.size(), parallel, [&](std::size_t i) {
    auto details = rt.Inspect(tasks[i]->id);
    if (details.ok()) configs[i] = std::move(details->config);
  });
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (configs[i]) out.configs.emplace(tasks[i]->id, std::move(*configs[i]));
  }
}

HostSnapshot AskHost(const std::string& cluster, const model::Host& host,
                     runtime::RuntimeFactory& factory, const SnapshotOptions& options) {
  HostSnapshot out;
  out.host = host.name;
  auto rt = factory.Connect(host);
  if (!rt.ok()) {
    out.status = rt.status();
    return out;
  }
  auto info = (*rt)->Info();
  if (!info.ok()) {
    out.status = info.status();
    return out;
  }
  out.info = std::move(*info);
  auto list = (*rt)->List({{labels::kCluster, cluster}, {labels::kHost, host.name}});
  if (!list.ok()) {
    out.status = list.status();
    return out;
  }
  out.containers = std::move(*list);
  if (options.inspect) InspectTasks(**rt, out, options.max_inspects_per_host);
  return out;
}

}  // namespace

Snapshot TakeSnapshot(const model::Cluster& cluster, runtime::RuntimeFactory& factory,
                      const SnapshotOptions& options) {
  Snapshot snap;
  snap.cluster = cluster.name;
  snap.hosts.resize(cluster.hosts.size());
  ForEachConcurrently(cluster.hosts.size(), options.max_parallel, [&](std::size_t i) {
    snap.hosts[i] = AskHost(cluster.name, cluster.hosts[i], factory, options);
  });
  return snap;
}

ObservedState ObserveFleet(const model::DesiredState& desired, runtime::RuntimeFactory& factory,
                           const SnapshotOptions& options) {
  return BuildObservedState(desired.cluster, TakeSnapshot(desired.cluster, factory, options),
                            LookupIn(desired));
}

}  // namespace stowage::observe
