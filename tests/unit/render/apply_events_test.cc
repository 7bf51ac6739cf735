#include "render/apply_events.h"

#include <catch2/catch.hpp>
#include <sstream>

namespace stowage::render {

using apply::ApplyEvent;
using apply::EventType;

TEST_CASE("apply events render as JSON lines and plain lines", "[render][apply]") {
  ApplyEvent step{EventType::kStepStarted, "web", "", "", 1, 3, ""};
  ApplyEvent failed{EventType::kTaskFailed,
                    "web",
                    "host-1",
                    "t1",
                    0,
                    0,
                    "essential container app exited (code 1)"};
  std::ostringstream json;
  JsonLinesObserver j(json);
  j.OnEvent(step);
  j.OnEvent(failed);
  CHECK(json.str() ==
        "{\"event\":\"step_started\",\"service\":\"web\",\"step\":1,\"steps\":3}\n"
        "{\"event\":\"task_failed\",\"service\":\"web\",\"host\":\"host-1\",\"task\":\"t1\","
        "\"message\":\"essential container app exited (code 1)\"}\n");
  std::ostringstream plain;
  PlainObserver p(plain);
  p.OnEvent(step);
  p.OnEvent(failed);
  CHECK(plain.str() ==
        "web: step 1/3\nweb: host-1/t1 failed: essential container app exited (code 1)\n");
}

TEST_CASE("apply summary names each outcome and the exit status", "[render][apply]") {
  apply::ApplyResult r;
  r.services.push_back({"api", apply::Outcome::kConverged, "", 2, 0, 0, 0});
  r.services.push_back(
      {"web", apply::Outcome::kRolledBack, "circuit breaker: 2 new task(s) failed", 0, 1, 2, 2});
  CHECK(RenderApplySummary(r) ==
        "api: converged (2 started)\n"
        "web: rolled back: circuit breaker: 2 new task(s) failed (2 failed, 1 stopped, 2 "
        "removed)\n"
        "Apply: 1 converged, 1 rolled back; exit status 3.\n");
  CHECK(ApplySummaryJson(r).dump() ==
        "{\"event\":\"summary\",\"exit_code\":3,\"services\":["
        "{\"service\":\"api\",\"outcome\":\"converged\",\"started\":2,\"stopped\":0,"
        "\"removed\":0,\"failed\":0},"
        "{\"service\":\"web\",\"outcome\":\"rolled back\",\"message\":\"circuit breaker: 2 new "
        "task(s) failed\",\"started\":0,\"stopped\":1,\"removed\":2,\"failed\":2}]}");
}

TEST_CASE("live view counts per service", "[render][apply]") {
  plan::Plan plan;
  plan::ServicePlan sp;
  sp.service = "web";
  sp.desired = 3;
  sp.running = 2;
  plan.services.push_back(sp);
  std::ostringstream out;
  LiveObserver live(out, plan);
  live.OnEvent({EventType::kStepStarted, "web", "", "", 1, 1, ""});
  live.OnEvent({EventType::kTaskStarting, "web", "a", "t3", 0, 0, "scale up 2 -> 3"});
  CHECK(live.View() == "web  desired 3  running 2  healthy 0  pending 1  step 1/1\n");
  live.OnEvent({EventType::kTaskHealthy, "web", "a", "t3", 0, 0, ""});
  live.OnEvent({EventType::kServiceDone, "web", "", "", 0, 0, "converged"});
  CHECK(live.View() == "web  desired 3  running 3  healthy 1  pending 0  converged\n");
  CHECK(out.str().find("\x1b[1A") != std::string::npos);
}

}  // namespace stowage::render
