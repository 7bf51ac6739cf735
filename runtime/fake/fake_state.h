// The shared state of one FakeEngine (internal to runtime/fake).
//
// Held through a shared_ptr by the engine and by its event streams, so a stream
// outliving its engine stays valid. Every field is guarded by `mu`; `cv` wakes
// event streams when an event is appended or reachability changes.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "runtime/fake/fake_runtime.h"

namespace stowage::runtime::fake {

struct FakeEngine::State {
  struct Fault {
    int remaining = 0;
    Status status;
  };

  mutable std::mutex mu;
  std::condition_variable cv;
  HostInfo info;
  std::vector<FakeContainer> containers;  // creation order
  std::set<std::string> images;
  std::set<std::string> unpullable;
  std::map<std::string, StartOutcome> start_outcomes;  // by image
  std::map<std::string, VolumeSpec> volumes;
  int stop_exit_code = 0;
  bool ignores_term = false;       // SetIgnoresTerm
  std::set<std::string> stopping;  // ids given to BeginStop, still running
  std::function<std::int64_t()> clock;
  std::array<Fault, kMethodCount> faults;
  std::array<std::chrono::milliseconds, kMethodCount> latency{};
  std::array<int, kMethodCount> calls{};
  std::array<int, kMethodCount> sleeping{};      // calls waiting out their latency now
  std::array<int, kMethodCount> max_sleeping{};  // the most at once
  int pulls = 0;
  std::vector<std::string> call_log;
  std::vector<ContainerEvent> events;
  bool unreachable = false;
  bool closed = false;  // the engine object is gone
  std::int64_t next_sequence = 1;

  // Lookups by full id, exact name, or unique id prefix; nullptr when none.
  FakeContainer* FindLocked(const std::string& id_or_name);
  void EmitLocked(const FakeContainer& c, const std::string& action,
                  std::map<std::string, std::string> extra = {});
};

// True when `labels` carry every key of `filter` (with its value, unless the value is "").
bool MatchesLabels(const Labels& labels, const Labels& filter);
// RFC 3339 with nanoseconds, UTC, as the engine reports times.
std::string FormatRfc3339(std::int64_t unix_ns);
// The Docker-like inspect document of a container.
std::string InspectJson(const FakeContainer& c);
std::unique_ptr<EventStream> MakeEventStream(std::shared_ptr<FakeEngine::State> state,
                                             Labels filter);

}  // namespace stowage::runtime::fake
