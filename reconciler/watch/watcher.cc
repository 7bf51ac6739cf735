#include "watch/watcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace stowage::watch {
namespace {

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Short(const std::string& revision) { return revision.substr(0, 12); }

}  // namespace

Watcher::Watcher(Source& source, Reconciler& reconciler, WatchOptions options,
                 std::function<TimePoint()> now)
    : source_(source),
      reconciler_(reconciler),
      options_(options),
      now_(std::move(now)),
      rng_(options.seed) {
  state_.source = source_.Describe();
  reconciler_.SetSource(&source_);
}

void Watcher::Poke(watch::Poke poke) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    (poke == Poke::kFetch ? fetch_now_ : reconcile_now_) = true;
  }
  cv_.notify_all();
}

void Watcher::Wake() { cv_.notify_all(); }

void Watcher::ReportProgress(int step, int steps) {
  Update([&](WatchState& st) {
    st.step = step;
    st.steps = steps;
  });
}

std::uint64_t Watcher::StateVersion() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_.version;
}

void Watcher::SetPhase(const char* phase) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (state_.phase == phase && state_.steps == 0) return;  // no change: version stays
  }
  Update([&](WatchState& st) {
    st.phase = phase;
    st.phase_since = UnixNow();
    st.step = 0;
    st.steps = 0;
  });
}

std::shared_ptr<const WatchState> Watcher::State() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!snapshot_ || snapshot_->version != state_.version) {
    snapshot_ = std::make_shared<const WatchState>(state_);
  }
  return snapshot_;
}

TimePoint Watcher::Step(const std::atomic<bool>& stop) {
  bool fetch_now = false;
  bool reconcile_now = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::swap(fetch_now, fetch_now_);
    std::swap(reconcile_now, reconcile_now_);
  }
  TimePoint now = now_();
  if (stop) return now;
  if (fetch_now || !next_fetch_ || now >= *next_fetch_) {
    SetPhase("fetching");
    Fetch(now);
  }
  if (need_load_ && now >= retry_at_) {
    SetPhase("checking");
    Load(now);
  }
  now = now_();
  const bool resync_due = last_good_ && now >= next_resync_;
  const bool retry_due = candidate_ && now >= retry_at_;
  if (!stop && (reconcile_now || resync_due || retry_due)) {
    SetPhase("applying");
    Apply(stop);
  }
  SetPhase("idle");
  if (next_fetch_ != announced_fetch_) {  // only when it moved: /status stays still when idle
    announced_fetch_ = next_fetch_;
    const double in = std::chrono::duration<double>(*next_fetch_ - now_()).count();
    Update([&](WatchState& st) { st.next_fetch_at = UnixNow() + in; });
  }
  TimePoint next = *next_fetch_;
  if (last_good_) next = std::min(next, next_resync_);
  if (candidate_ || need_load_) next = std::min(next, std::max(retry_at_, now));
  return next;
}

void Watcher::Run(const std::atomic<bool>& stop) {
  while (!stop) {
    const TimePoint next = Step(stop);
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_until(lock, next, [&] { return stop.load() || fetch_now_ || reconcile_now_; });
  }
}

void Watcher::Fetch(TimePoint now) {
  Status s = source_.Refresh();
  Update([&](WatchState& st) {
    ++st.fetches;
    st.fetch_errors += s.ok() ? 0 : 1;
  });
  if (!s.ok()) {
    ++fetch_failures_;
    const milliseconds wait = Backoff(fetch_failures_);
    spdlog::warn("fetch failed: {} (retry in {} s)", s.message(),
                 std::chrono::duration<double>(wait).count());
    RecordError(revision_, "fetch: " + s.message());
    next_fetch_ = now + wait;
    return;
  }
  if (fetch_failures_ > 0) spdlog::info("fetch recovered after {} failures", fetch_failures_);
  fetch_failures_ = 0;
  next_fetch_ = now + Jittered(options_.interval);
  auto revision = source_.Revision();
  if (!revision.ok() || *revision == revision_) return;
  revision_ = *revision;
  Update([&](WatchState& st) {
    st.revision_seen = revision_;
    st.source = source_.Describe();
  });
  bool failed = false;
  Update([&](WatchState& st) { failed = st.failed_revisions.count(revision_) > 0; });
  spdlog::info("new revision {}{}", Short(revision_), failed ? " (marked failed, skipped)" : "");
  need_load_ = !failed;
  candidate_.reset();
  retry_at_ = now;
}

void Watcher::Load(TimePoint now) {
  auto desired = reconciler_.Load(source_);
  // The load told the source which files its documents reference (TLS, age):
  // a directory's revision covers them from now on, so compare with that one
  // (the one loaded; for an invalid source, the one now).
  auto loaded = desired.ok() ? Result<std::string>(desired->source_revision) : source_.Revision();
  if (loaded.ok() && !loaded->empty() && *loaded != revision_) {
    revision_ = *loaded;
    Update([&](WatchState& st) { st.revision_seen = revision_; });
  }
  if (desired.ok()) {
    need_load_ = false;
    candidate_ = std::make_shared<const model::DesiredState>(std::move(*desired));
    return;
  }
  if (desired.status().code() == Status::Code::kInvalid) {
    need_load_ = false;
    spdlog::error("revision {} is invalid, skipped; {} stays: {}", Short(revision_),
                  last_good_ ? Short(last_good_->source_revision) : "nothing",
                  desired.status().message());
    Update([&](WatchState& st) {
      st.failed_revisions[revision_] = desired.status().message();
      ++st.runs["invalid"];
    });
    RecordError(revision_, desired.status().message());
    Announce(notify::EventKind::kInvalid, revision_, "", desired.status().message());
    return;
  }
  ++apply_failures_;
  retry_at_ = now + Backoff(apply_failures_);
  spdlog::warn("cannot load revision {}: {}", Short(revision_), desired.status().message());
  RecordError(revision_, desired.status().message());
}

void Watcher::Apply(const std::atomic<bool>& stop) {
  std::shared_ptr<const model::DesiredState> target = candidate_ ? candidate_ : last_good_;
  if (!target) return;
  const std::string& revision = target->source_revision;
  const bool release = target == candidate_;  // a new revision, not a resync
  if (release) Announce(notify::EventKind::kStarted, revision, target->cluster.name, "");
  const TimePoint start = now_();
  ApplyOutcome outcome = reconciler_.Apply(*target, stop);
  const TimePoint end = now_();
  const double seconds = std::chrono::duration<double>(end - start).count();
  const char* name = OutcomeName(outcome.kind);
  const auto level =
      outcome.kind == ApplyOutcome::Kind::kConverged ? spdlog::level::info : spdlog::level::warn;
  spdlog::log(level, "reconciled {}: {} ({} changes, {:.3f} s){}{}", Short(revision), name,
              outcome.changes, seconds, outcome.message.empty() ? "" : ": ", outcome.message);
  Update([&](WatchState& st) {
    ++st.runs[name];
    if (outcome.changes > 0 || outcome.kind == ApplyOutcome::Kind::kRolledBack) {
      ++st.deployments[name];
    }
    st.duration_sum += seconds;
    ++st.duration_count;
    st.last_duration = seconds;
    if (outcome.kind != ApplyOutcome::Kind::kError) {
      st.services = outcome.services;
      st.hosts = outcome.hosts;
      st.fleet_status = outcome.fleet_status;
    }
  });
  if (release) {
    Announce(outcome.kind == ApplyOutcome::Kind::kRolledBack ? notify::EventKind::kRolledBack
             : outcome.kind == ApplyOutcome::Kind::kError    ? notify::EventKind::kFailed
                                                             : notify::EventKind::kSucceeded,
             revision, target->cluster.name, outcome.message);
  }
  switch (outcome.kind) {
    case ApplyOutcome::Kind::kConverged:
    case ApplyOutcome::Kind::kPartial:
      apply_failures_ = 0;
      last_good_ = target;
      candidate_.reset();
      next_resync_ = end + Jittered(options_.resync);
      Update([&](WatchState& st) {
        st.revision_applied = revision;
        st.applied_at = UnixNow();
        if (outcome.kind == ApplyOutcome::Kind::kConverged) st.last_error.clear();
      });
      if (outcome.kind == ApplyOutcome::Kind::kPartial) RecordError(revision, outcome.message);
      break;
    case ApplyOutcome::Kind::kRolledBack:
      apply_failures_ = 0;
      candidate_.reset();
      if (outcome.stayed_on) {  // the history's last good revision, applied instead
        last_good_ = outcome.stayed_on;
        Update([&](WatchState& st) {
          st.revision_applied = last_good_->source_revision;
          st.applied_at = UnixNow();
        });
      }
      next_resync_ = end + Jittered(options_.resync);
      Update([&](WatchState& st) {
        st.failed_revisions[revision] = "rolled back: " + outcome.message;
      });
      RecordError(revision, "rolled back: " + outcome.message);
      break;
    case ApplyOutcome::Kind::kError:
      ++apply_failures_;
      retry_at_ = end + Backoff(apply_failures_);
      if (!candidate_) next_resync_ = retry_at_;
      RecordError(revision, outcome.message);
      break;
  }
}

void Watcher::RecordError(const std::string& revision, const std::string& message) {
  Update([&](WatchState& st) {
    st.last_error = message;
    st.last_error_revision = revision;
    st.last_error_at = UnixNow();
  });
}

void Watcher::Announce(notify::EventKind kind, const std::string& revision,
                       const std::string& cluster, const std::string& message) {
  if (!options_.on_release) return;
  notify::ReleaseEvent e;
  e.kind = kind;
  e.revision = revision;
  e.cluster = cluster;
  e.by = "watcher";
  e.message = message;
  e.at = UnixNow();
  options_.on_release(e);
}

milliseconds Watcher::Jittered(milliseconds d) {
  std::uniform_real_distribution<double> factor(1.0 - options_.jitter, 1.0 + options_.jitter);
  return milliseconds(static_cast<std::int64_t>(static_cast<double>(d.count()) * factor(rng_)));
}

milliseconds Watcher::Backoff(int failures) const {
  const int shift = std::min(failures - 1, 10);
  const milliseconds wait = options_.interval * (std::int64_t{1} << shift);
  return std::min(wait, std::max(options_.max_backoff, options_.interval));
}

}  // namespace stowage::watch
