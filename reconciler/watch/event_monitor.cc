#include "watch/event_monitor.h"

#include <spdlog/spdlog.h>

#include "model/labels.h"

namespace stowage::watch {
namespace {

using std::chrono::milliseconds;

std::string ClusterKey(const model::Cluster& cluster) {
  std::string key = cluster.name;
  for (const auto& h : cluster.hosts) key += '\n' + h.name + '\t' + h.endpoint;
  return key;
}

// Sleeps `d` in small slices; false when stopped meanwhile.
bool SleepUnlessStopped(const std::atomic<bool>& stop, milliseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stop && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::min(d, milliseconds(50)));
  }
  return !stop;
}

}  // namespace

bool IsTaskLossEvent(const std::string& action) {
  return action == "die" || action == "destroy" || action == "oom" ||
         action == "health_status: unhealthy";
}

EventMonitor::EventMonitor(runtime::RuntimeFactory& factory, OnEvent on_event, milliseconds retry)
    : factory_(factory), on_event_(std::move(on_event)), retry_(retry) {}

EventMonitor::~EventMonitor() { Stop(); }

void EventMonitor::Follow(const model::Cluster& cluster) {
  const std::string key = ClusterKey(cluster);
  if (key == key_ && !threads_.empty()) return;
  Stop();
  key_ = key;
  stop_ = std::make_shared<std::atomic<bool>>(false);
  for (const auto& host : cluster.hosts) {
    threads_.emplace_back([this, host, name = cluster.name] { FollowHost(host, name); });
  }
}

void EventMonitor::Stop() {
  *stop_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void EventMonitor::FollowHost(const model::Host& host, const std::string& cluster) {
  const std::shared_ptr<std::atomic<bool>> stop = stop_;
  while (!*stop) {
    auto runtime = factory_.Connect(host);
    auto stream =
        runtime.ok() ? (*runtime)->Events({{labels::kCluster, cluster}, {labels::kHost, host.name}})
                     : Result<std::unique_ptr<runtime::EventStream>>(runtime.status());
    if (!stream.ok()) {
      spdlog::debug("events of {}: {}", host.name, stream.status().message());
      if (!SleepUnlessStopped(*stop, retry_)) return;
      continue;
    }
    while (!*stop) {
      auto event = (*stream)->Next(milliseconds(200));
      if (!event.ok()) {
        spdlog::debug("events of {}: {}", host.name, event.status().message());
        break;
      }
      if (event->has_value() && IsTaskLossEvent((*event)->action)) on_event_(host.name, **event);
    }
    if (!SleepUnlessStopped(*stop, retry_)) return;
  }
}

}  // namespace stowage::watch
