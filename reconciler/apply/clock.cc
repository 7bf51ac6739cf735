#include "apply/clock.h"

#include <thread>

namespace stowage::apply {
namespace {

class RealClock : public Clock {
 public:
  TimePoint Now() override { return std::chrono::steady_clock::now(); }
  void SleepFor(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }
};

}  // namespace

Clock& SystemClock() {
  static RealClock clock;
  return clock;
}

Clock::TimePoint ManualClock::Now() { return TimePoint(std::chrono::milliseconds(now_ms_.load())); }

void ManualClock::SleepFor(std::chrono::milliseconds d) {
  Advance(d);
  std::this_thread::sleep_for(std::chrono::microseconds(50));
}

void ManualClock::Advance(std::chrono::milliseconds d) { now_ms_ += d.count(); }

}  // namespace stowage::apply
