// TakeSnapshot: Info + one List per registered host, hosts asked concurrently.
#include <algorithm>
#include <atomic>
#include <thread>

#include "model/labels.h"
#include "observe/observed.h"
#include "observe/snapshot.h"

namespace stowage::observe {
namespace {

// The updatable configuration of every running task container; a container
// gone since the list is skipped.
void InspectTasks(runtime::Runtime& rt, HostSnapshot& out) {
  for (const auto& c : out.containers) {
    if (c.state != runtime::ContainerState::kRunning || !c.labels.contains(labels::kTask)) continue;
    auto details = rt.Inspect(c.id);
    if (details.ok()) out.configs.emplace(c.id, details->config);
  }
}

HostSnapshot AskHost(const std::string& cluster, const model::Host& host,
                     runtime::RuntimeFactory& factory, bool inspect) {
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
  if (inspect) InspectTasks(**rt, out);
  return out;
}

}  // namespace

Snapshot TakeSnapshot(const model::Cluster& cluster, runtime::RuntimeFactory& factory,
                      const SnapshotOptions& options) {
  Snapshot snap;
  snap.cluster = cluster.name;
  snap.hosts.resize(cluster.hosts.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < cluster.hosts.size(); i = next++) {
      snap.hosts[i] = AskHost(cluster.name, cluster.hosts[i], factory, options.inspect);
    }
  };
  std::size_t threads = std::min<std::size_t>(
      cluster.hosts.size(), static_cast<std::size_t>(std::max(1, options.max_parallel)));
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  return snap;
}

ObservedState ObserveFleet(const model::DesiredState& desired, runtime::RuntimeFactory& factory,
                           const SnapshotOptions& options) {
  return BuildObservedState(desired.cluster, TakeSnapshot(desired.cluster, factory, options),
                            LookupIn(desired));
}

}  // namespace stowage::observe
