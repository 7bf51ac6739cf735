// HostSession: the applier's connection to one registered host's engine.
//
// Wraps a runtime::Runtime with what apply needs on top: bounds on the
// engine operations in flight, each image ensured once per host (concurrent
// callers wait for the one pull), volumes ensured once (and a task's own
// volumes removed with it), and a shared, short-lived listing of the
// cluster's containers on the host so that many health gates polling at once
// cost one engine call per poll. Three bounds, each its own queue, so that
// no kind of operation waits in line behind another: `ops` for creates,
// starts, removes, lists (--parallelism), `stops` for stops (mostly waiting
// out a container's stop timeout, so a much larger bound) and `pulls` for
// image pulls (long transfers).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <vector>

#include "apply/clock.h"
#include "runtime/runtime.h"

namespace stowage::apply {

// Engine operations in flight per host, by kind (each at least 1).
struct SessionBounds {
  int ops = 8;     // create, start, remove, list, inspect, volumes
  int stops = 64;  // stop: waits out the stop timeout; never queued behind creates
  int pulls = 4;   // image pulls
};

class HostSession {
 public:
  HostSession(std::string cluster, std::string host, std::shared_ptr<runtime::Runtime> rt,
              SessionBounds bounds, Clock& clock);

  const std::string& host() const { return host_; }
  const std::string& cluster() const { return cluster_; }

  // Pulls once per session and image (the first caller's credentials).
  Status EnsureImage(const std::string& image,
                     const std::optional<runtime::PullCredentials>& credentials = std::nullopt);
  Status EnsureVolume(const runtime::VolumeSpec& spec);
  // Removes the task-scoped volumes of a task (labelled with its task id; a
  // "shared" volume carries no task label and stays) and forgets that they
  // were ensured, so a task started again under the same id gets new ones.
  Status RemoveTaskVolumes(const std::string& task_id);
  Result<std::string> Create(const runtime::ContainerSpec& spec);
  Status Start(const std::string& id);
  Status Stop(const std::string& id, std::chrono::seconds timeout);
  // Runtime::BeginStop: the stop handed to the engine (counted as a stop).
  Result<bool> BeginStop(const std::string& id, std::chrono::seconds timeout,
                         std::chrono::milliseconds wait);
  Status Rename(const std::string& id, const std::string& new_name);
  Status Remove(const std::string& id);
  Result<runtime::ContainerDetails> Inspect(const std::string& id_or_name);
  // The containers of one task (cluster, host and task labels), fresh.
  Result<std::vector<runtime::ContainerSummary>> ListTask(const std::string& task_id);
  // The cluster's containers on this host from a listing made at or after
  // `not_before` (one shared engine call serves every caller in that window).
  Result<std::vector<runtime::ContainerSummary>> ListSince(Clock::TimePoint not_before);
  // The containers of one task from a listing made at or after `not_before`
  // (one shared engine call serves every caller in that window).
  Result<std::vector<runtime::ContainerSummary>> ListTaskSince(const std::string& task_id,
                                                               Clock::TimePoint not_before);

 private:
  class Slot;  // RAII: one engine operation in flight, counted against one bound
  struct Once {
    std::once_flag flag;
    Status status;
  };
  Status EnsureOnce(std::map<std::string, std::shared_ptr<Once>>& done, const std::string& key,
                    const std::function<Status()>& op);
  std::string cluster_;
  std::string host_;
  std::shared_ptr<runtime::Runtime> rt_;
  Clock& clock_;
  std::mutex mu_;
  std::counting_semaphore<> ops_;
  std::counting_semaphore<> stops_;
  std::counting_semaphore<> pulls_;
  std::map<std::string, std::shared_ptr<Once>> images_;
  std::map<std::string, std::shared_ptr<Once>> volumes_;
  std::mutex list_mu_;
  bool have_listing_ = false;
  // Bumped by every create/start/stop/remove: a listing made before a change
  // on this host is never served after it.
  std::atomic<std::uint64_t> changes_{0};
  std::uint64_t listed_changes_ = 0;
  Clock::TimePoint listed_at_;
  Result<std::vector<runtime::ContainerSummary>> listing_{std::vector<runtime::ContainerSummary>{}};
};

}  // namespace stowage::apply
