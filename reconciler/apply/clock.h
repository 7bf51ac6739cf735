// Clock: the applier's notion of time, injectable so unit tests run fast.
//
// The applier waits (health gates, settle periods, polling, lock retries)
// only through a Clock. SystemClock sleeps for real; tests use ManualClock,
// whose SleepFor advances time at once.
#pragma once

#include <atomic>
#include <chrono>

namespace stowage::apply {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
  virtual void SleepFor(std::chrono::milliseconds d) = 0;
};

// The process's steady clock.
Clock& SystemClock();

// Time that moves only when someone sleeps: SleepFor(d) advances Now() by d
// (and yields, so other threads make progress). Thread-safe.
class ManualClock : public Clock {
 public:
  TimePoint Now() override;
  void SleepFor(std::chrono::milliseconds d) override;
  void Advance(std::chrono::milliseconds d);

 private:
  std::atomic<std::int64_t> now_ms_{0};
};

}  // namespace stowage::apply
