// Watcher: the commit-to-deploy loop.
//
// Fetches the source every interval (with jitter) and reconciles when its
// revision changes; reconciles again every resync period to heal drift, and at
// once when poked (webhook: fetch now; SIGHUP or an engine event: reconcile
// now). A revision that fails to validate, or whose deployment rolled back, is
// marked failed and not retried until a new revision arrives; drift is then
// healed against the last good state. Errors (remote or engines unreachable,
// lock held) back off exponentially and recover by themselves.
//
// Step() does whatever is due and says when the next step is; it reads time
// only through the injected clock, so tests drive the loop deterministically.
// Run() is Step() in a loop, sleeping until the next step, a poke or stop.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

#include "notify/event.h"
#include "source/source.h"
#include "watch/reconciler.h"
#include "watch/watch_state.h"

namespace stowage::watch {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using std::chrono::milliseconds;

struct WatchOptions {
  milliseconds interval{15'000};
  milliseconds resync{60'000};
  milliseconds max_backoff{300'000};
  double jitter = 0.1;  // each interval is scaled by a random factor in [1-jitter, 1+jitter]
  std::uint64_t seed = 0;
  // Told of each release of a new revision (started, then succeeded, rolled back
  // or failed) and of each invalid revision skipped; for --notify. Not of resyncs.
  std::function<void(const notify::ReleaseEvent&)> on_release;
};

enum class Poke {
  kFetch,      // webhook: fetch now
  kReconcile,  // SIGHUP: reconcile now
  kDrift,      // an engine reported a managed container died: reconcile now
};

class Watcher {
 public:
  Watcher(Source& source, Reconciler& reconciler, WatchOptions options,
          std::function<TimePoint()> now = Clock::now);

  // Does what is due now; returns when the next step is due.
  TimePoint Step(const std::atomic<bool>& stop);
  // Until `stop`: Step, then wait for the next step, a poke or Wake().
  void Run(const std::atomic<bool>& stop);

  // Thread-safe.
  void Poke(Poke poke);
  void Wake();
  // While applying: the deployment's progress (step N of M), for /status.
  void ReportProgress(int step, int steps);
  // The state now, shared and immutable: readers (/status, /metrics, the
  // status page) hold it as long as they like while the watcher goes on; it
  // is copied once per change, when first asked for, never per reader.
  std::shared_ptr<const WatchState> State() const;
  std::uint64_t StateVersion() const;  // WatchState::version, without a snapshot

 private:
  void Fetch(TimePoint now);
  void Load(TimePoint now);
  void Apply(const std::atomic<bool>& stop);
  void RecordError(const std::string& revision, const std::string& message);
  void SetPhase(const char* phase);
  void Announce(notify::EventKind kind, const std::string& revision, const std::string& cluster,
                const std::string& message);
  milliseconds Jittered(milliseconds d);
  milliseconds Backoff(int failures) const;
  template <typename F>
  void Update(F&& f) {
    std::lock_guard<std::mutex> lock(mu_);
    f(state_);
    ++state_.version;
  }

  Source& source_;
  Reconciler& reconciler_;
  WatchOptions options_;
  std::function<TimePoint()> now_;
  std::mt19937_64 rng_;

  std::optional<TimePoint> next_fetch_;       // unset: fetch at the first step
  std::optional<TimePoint> announced_fetch_;  // next_fetch_ as /status last showed it
  TimePoint next_resync_{};
  TimePoint retry_at_{};
  int fetch_failures_ = 0;
  int apply_failures_ = 0;
  bool need_load_ = false;
  std::string revision_;                                  // the source's current revision
  std::shared_ptr<const model::DesiredState> candidate_;  // loaded, not applied yet
  std::shared_ptr<const model::DesiredState> last_good_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool fetch_now_ = false;
  bool reconcile_now_ = false;
  WatchState state_;
  mutable std::shared_ptr<const WatchState> snapshot_;  // of state_ at its version, or null
};

}  // namespace stowage::watch
