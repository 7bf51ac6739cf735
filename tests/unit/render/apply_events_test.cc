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
        "\"stopping\":0,\"removed\":0,\"failed\":0},"
        "{\"service\":\"web\",\"outcome\":\"rolled back\",\"message\":\"circuit breaker: 2 new "
        "task(s) failed\",\"started\":0,\"stopped\":1,\"stopping\":0,\"removed\":2,\"failed\":2}],"
        "\"outcomes\":{\"converged\":1,\"rolled back\":1}}");
}

TEST_CASE("the release summary covers every service: not deployed, unchanged", "[render][apply]") {
  apply::ApplyResult r;
  r.services.push_back({"db", apply::Outcome::kRolledBack, "circuit breaker", 0, 0, 1, 1});
  apply::ServiceResult api{"api", apply::Outcome::kNotDeployed, "depends on db, which rolled back"};
  api.cause = apply::Outcome::kRolledBack;
  r.services.push_back(api);
  r.unchanged = {"cache", "web"};
  CHECK(RenderApplySummary(r) ==
        "api: not deployed: depends on db, which rolled back\n"
        "cache: unchanged\n"
        "db: rolled back: circuit breaker (1 failed, 1 removed)\n"
        "web: unchanged\n"
        "Apply: 1 rolled back, 1 not deployed, 2 unchanged; exit status 3.\n");
  auto j = ApplySummaryJson(r);
  CHECK(j["exit_code"] == 3);
  CHECK(j["services"][0].dump() ==
        "{\"service\":\"api\",\"outcome\":\"not deployed\",\"cause\":\"rolled back\","
        "\"message\":\"depends on db, which rolled back\",\"started\":0,\"stopped\":0,"
        "\"stopping\":0,\"removed\":0,\"failed\":0}");
  CHECK(j["services"][1].dump() == "{\"service\":\"cache\",\"outcome\":\"unchanged\"}");
  CHECK(j["outcomes"].dump() == "{\"rolled back\":1,\"not deployed\":1,\"unchanged\":2}");
}

TEST_CASE("nothing to apply: every service unchanged (or blocked: exit 4)", "[render][apply]") {
  model::DesiredState d;
  d.services.resize(2);
  d.services[0].name = "api";
  d.services[1].name = "web";
  auto r = apply::NothingToApply(d, plan::Plan{});
  CHECK(RenderApplySummary(r) ==
        "api: unchanged\nweb: unchanged\nApply: 2 unchanged; exit status 0.\n");
  plan::Plan blocked;
  blocked.services.emplace_back();
  blocked.services[0].service = "web";
  blocked.services[0].blocked = {{2, {"h1: memory 512 > 300 free"}}};
  CHECK(RenderApplySummary(apply::NothingToApply(d, blocked)) ==
        "api: unchanged\nweb: blocked: 2 task(s) could not be placed\n"
        "Apply: 1 blocked, 1 unchanged; exit status 4.\n");
  CHECK(RenderApplySummary({}) == "Apply: nothing to do; exit status 0.\n");
}

TEST_CASE("exit status precedence: 1, then 3, then 4; not deployed counts as its cause",
          "[render][apply]") {
  using apply::Outcome;
  auto result = [](std::vector<std::pair<Outcome, Outcome>> outcomes) {
    apply::ApplyResult r;
    for (const auto& [o, cause] : outcomes) {
      apply::ServiceResult s;
      s.outcome = o;
      s.cause = cause;
      r.services.push_back(s);
    }
    return r.ExitCode();
  };
  const Outcome none = Outcome::kConverged;
  CHECK(result({{Outcome::kConverged, none}, {Outcome::kPending, none}}) == 0);
  CHECK(result({{Outcome::kBlocked, none}, {Outcome::kRolledBack, none}}) == 3);
  CHECK(result({{Outcome::kRolledBack, none}, {Outcome::kFailed, none}}) == 1);
  CHECK(result({{Outcome::kNotDeployed, Outcome::kBlocked}}) == 4);
  CHECK(result({{Outcome::kNotDeployed, Outcome::kRolledBack}, {Outcome::kBlocked, none}}) == 3);
  CHECK(result({{Outcome::kNotDeployed, Outcome::kFailed}, {Outcome::kRolledBack, none}}) == 1);
  CHECK(result({{Outcome::kCancelled, none}}) == 1);
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
