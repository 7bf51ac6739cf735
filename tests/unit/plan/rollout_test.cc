#include <catch2/catch.hpp>

#include "plan/rollout.h"

namespace stowage::plan {

TEST_CASE("rollout bounds follow ECS rounding", "[plan][rollout]") {
  CHECK(model::MinHealthyTasks(3, 50) == 2);
  CHECK(model::MinHealthyTasks(4, 50) == 2);
  CHECK(model::MinHealthyTasks(2, 75) == 2);
  CHECK(model::MaxRunningTasks(3, 150) == 4);
  CHECK(model::MaxRunningTasks(2, 100) == 2);
  CHECK(model::CircuitBreakerThreshold(1) == 3);
  CHECK(model::CircuitBreakerThreshold(7) == 4);
  CHECK(model::CircuitBreakerThreshold(10) == 5);
  CHECK(model::CircuitBreakerThreshold(1000) == 200);
}

TEST_CASE("default 100/200 rollout starts all new tasks then stops all old", "[plan][rollout]") {
  Rollout r = PlanRollout({.desired = 3, .old_tasks = 3});
  CHECK(r.min_healthy == 3);
  CHECK(r.max_running == 6);
  REQUIRE(r.steps.size() == 1);
  CHECK(r.steps[0].start == 3);
  CHECK(r.steps[0].stop == 3);
  CHECK(r.stuck.empty());
}

TEST_CASE("max 100 rollout stops before it starts", "[plan][rollout]") {
  Rollout r = PlanRollout(
      {.desired = 4, .old_tasks = 4, .minimum_healthy_percent = 50, .maximum_percent = 100});
  // Stop 2 old (4 -> 2 healthy), start 2 new and stop the last 2 old, start the last 2.
  REQUIRE(r.steps.size() == 3);
  CHECK(r.steps[0].start == 0);
  CHECK(r.steps[0].stop == 2);
  CHECK(r.steps[1].start == 2);
  CHECK(r.steps[1].stop == 2);
  CHECK(r.steps[2].start == 2);
  CHECK(r.steps[2].stop == 0);
}

TEST_CASE("capacity limits each step", "[plan][rollout]") {
  Rollout r = PlanRollout({.desired = 4, .old_tasks = 4, .capacity = 1});
  REQUIRE(r.steps.size() == 4);
  for (const auto& s : r.steps) {
    CHECK(s.start == 1);
    CHECK(s.stop == 1);
  }
}

TEST_CASE("a rollout that cannot progress says why", "[plan][rollout]") {
  Rollout r = PlanRollout({.desired = 2, .old_tasks = 2, .capacity = 0});
  CHECK(r.steps.empty());
  CHECK(r.stuck == "no room for another task while keeping 2 healthy");
  Rollout r2 = PlanRollout(
      {.desired = 2, .old_tasks = 2, .minimum_healthy_percent = 100, .maximum_percent = 100});
  CHECK(r2.stuck == "maximumPercent allows 2 running and minimumHealthyPercent needs 2 healthy");
}

TEST_CASE("rollout never leaves its bounds", "[plan][rollout]") {
  for (int desired = 0; desired <= 12; ++desired) {
    for (int old_tasks = 0; old_tasks <= 14; old_tasks += 2) {
      for (int min : {0, 50, 75, 100}) {
        for (int max : {100, 125, 150, 200}) {
          for (int capacity : {0, 1, 3, kUnlimitedCapacity}) {
            RolloutInput in{desired, old_tasks, 0, min, max, capacity};
            Rollout r = PlanRollout(in);
            int olds = old_tasks, news = 0;
            long long room = capacity;
            for (const auto& s : r.steps) {
              INFO("desired " << desired << " old " << old_tasks << " min " << min << " max " << max
                              << " capacity " << capacity);
              CHECK(s.start + s.stop > 0);
              CHECK(s.start <= room);
              if (s.start > 0) CHECK(olds + news + s.start <= std::max(r.max_running, 0));
              news += s.start;
              CHECK(olds + news - s.stop >= std::min(r.min_healthy, olds + news));
              olds -= s.stop;
              room += s.stop - s.start;
              CHECK(olds >= 0);
            }
            if (r.stuck.empty()) {
              CHECK(news == desired);
              CHECK(olds == 0);
            }
          }
        }
      }
    }
  }
}

}  // namespace stowage::plan
