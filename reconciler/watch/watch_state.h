// WatchState: what the watcher knows about itself, for /status, /metrics and logs.
//
// A plain value the watcher updates after every fetch and reconcile and hands
// out as a shared immutable snapshot (Watcher::State). RenderMetrics turns it into the Prometheus
// text exposition format; StatusJson into the status document: the `stowage status --json` document
// of the last apply with the watcher's own state under "watch".
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "watch/reconciler.h"

namespace stowage::watch {

struct WatchState {
  std::uint64_t version = 0;     // +1 on every change: readers can skip unchanged states
  std::string source;            // Source::Describe()
  std::string revision_seen;     // newest revision fetched
  std::string revision_applied;  // newest revision applied (converged or partially)
  double applied_at = 0;         // unix seconds, 0: never
  std::string last_error;        // empty: the last reconcile went well
  std::string last_error_revision;
  double last_error_at = 0;
  // Revisions that were invalid or rolled back (not retried), with why; kept
  // after a later resync succeeds, so /status still says why the newest
  // revision is not deployed.
  std::map<std::string, std::string> failed_revisions;
  std::map<std::string, std::uint64_t> runs;         // reconcile runs by outcome (+ "invalid")
  std::map<std::string, std::uint64_t> deployments;  // applies that changed something, by outcome
  std::uint64_t fetches = 0;
  std::uint64_t fetch_errors = 0;
  double duration_sum = 0;  // seconds over all reconcile runs
  std::uint64_t duration_count = 0;
  double last_duration = 0;
  // What the watcher is doing now: "idle", "fetching", "checking" or "applying"
  // (since `phase_since`, unix seconds); while applying, step N of M when known.
  std::string phase = "idle";
  double phase_since = 0;
  int step = 0;
  int steps = 0;
  double next_fetch_at = 0;  // unix seconds of the next poll of the source, 0: unknown
  std::vector<ServiceCounts> services;
  std::map<std::string, bool> hosts;
  nlohmann::json fleet_status;  // `stowage status --json` after the last apply (null before)
};

// Prometheus text format (version 0.0.4), metrics prefixed stowage_.
std::string RenderMetrics(const WatchState& state);
nlohmann::json StatusJson(const WatchState& state);

}  // namespace stowage::watch
