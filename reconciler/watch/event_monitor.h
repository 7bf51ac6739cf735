// EventMonitor: follows every engine's container events for the watcher.
//
// One thread per registered host subscribes to the engine's event stream,
// filtered on the cluster and host labels (hosts sharing one engine each see
// only their own tasks), and reports the events that mean a task is
// gone or sick ("die", "destroy", "oom", "health_status: unhealthy") so the
// watcher can reconcile within seconds instead of at the next resync.
// (`docker rm -f` sends "die" while the container still exists, and a
// snapshot taken then may see it alive; "destroy" comes once it is gone.) A stream that fails
// (engine restarted, host unreachable) is opened again after `retry`.
// Follow() with a different cluster (name, hosts or endpoints) restarts the
// subscriptions; the same cluster is a no-op.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "model/cluster.h"
#include "runtime/runtime.h"

namespace stowage::watch {

// True for the actions that mean a task may need replacing.
bool IsTaskLossEvent(const std::string& action);

class EventMonitor {
 public:
  using OnEvent = std::function<void(const std::string& host, const runtime::ContainerEvent&)>;
  EventMonitor(runtime::RuntimeFactory& factory, OnEvent on_event,
               std::chrono::milliseconds retry = std::chrono::seconds(2));
  ~EventMonitor();
  EventMonitor(const EventMonitor&) = delete;
  EventMonitor& operator=(const EventMonitor&) = delete;

  void Follow(const model::Cluster& cluster);
  void Stop();

 private:
  void FollowHost(const model::Host& host, const std::string& cluster);

  runtime::RuntimeFactory& factory_;
  OnEvent on_event_;
  std::chrono::milliseconds retry_;
  std::string key_;  // what the current threads follow
  std::shared_ptr<std::atomic<bool>> stop_ = std::make_shared<std::atomic<bool>>(false);
  std::vector<std::thread> threads_;
};

}  // namespace stowage::watch
