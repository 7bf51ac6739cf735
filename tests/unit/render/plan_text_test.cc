#include <catch2/catch.hpp>

#include "plan/plan_json.h"
#include "render/plan_text.h"
#include "support/sample_plan.h"

namespace stowage::render {

TEST_CASE("plan text groups by service, step and host, one reason per line", "[render]") {
  std::string expected =
      "service api (REPLICA, 2 desired, 2 running, revision bbbbbbbbbbbb)\n"
      "  deployment aaaaaaaaaaaa -> bbbbbbbbbbbb: at least 1 healthy, at most 3 running; "
      "circuit breaker after 3 failed tasks, then rollback\n"
      "  changes:\n"
      "    ~ containerDefinitions[\"api\"].image: \"api:1\" -> \"api:2\"\n"
      "    ~ containerDefinitions[\"api\"].secrets.DB: (sensitive value changed)\n"
      "  step 1 of 2 (at least 1 healthy, at most 3 running)\n"
      "    web-1\n"
      "      ~ start n1 (replaces o1 on web-2): revision change\n"
      "    web-2\n"
      "      ~ stop o1 (replaced by n1 on web-1): revision change\n"
      "  step 2 of 2 (at least 1 healthy, at most 3 running)\n"
      "    web-2\n"
      "      ~ start n2 (replaces o2 on web-1): revision change\n"
      "    web-1\n"
      "      ~ stop o2 (replaced by n2 on web-2): revision change\n"
      "\n"
      "service web (REPLICA, 4 desired, 1 running, revision cccccccccccc)\n"
      "  changed outside stowage:\n"
      "    web-3 task w1: app memory 512 MiB (defined 256 MiB)\n"
      "  web-1\n"
      "    + start w2: scale up 1 -> 4\n"
      "  web-2\n"
      "    ~ start w3 (replaces w0 on web-3): exited (code 1)\n"
      "  web-3\n"
      "    ~ remove w0 (replaced by w3 on web-2): exited (code 1)\n"
      "  ! 2 tasks cannot be placed:\n"
      "    web-1: memory 512 > 300 free\n"
      "    web-2: memberOf attribute:zone == a\n"
      "\n"
      "service worker (DAEMON, 0 desired, 1 running, removed from the source)\n"
      "  web-3\n"
      "    - stop k1: service removed (prune)\n"
      "\n"
      "warning: host web-4 is unreachable (connect: refused); its tasks are left as they are\n"
      "Plan: 2 services to update, 0 to create, 1 to remove; 4 tasks to start, 4 to stop; 1 "
      "service blocked\n";
  CHECK(RenderPlanText(testing::SamplePlan(), TextStyle{}) == expected);
}

TEST_CASE("a replacement on the same host names no host", "[render]") {
  plan::Plan p = testing::SamplePlan();
  p.services[0].steps[0].actions[1].host = "web-1";
  std::string text = RenderPlanText(p, TextStyle{});
  CHECK(text.find("    web-1\n"
                  "      ~ start n1 (replaces o1): revision change\n"
                  "      ~ stop o1 (replaced by n1): revision change\n") != std::string::npos);
}

TEST_CASE("plan text is rendered from the JSON form", "[render]") {
  auto json = plan::PlanToJson(testing::SamplePlan());
  json["services"][2]["steps"][0]["actions"][0]["reason"] = "edited in the JSON";
  std::string text = RenderPlanText(json, TextStyle{});
  CHECK(text.find("    - stop k1: edited in the JSON\n") != std::string::npos);
}

TEST_CASE("an empty plan says so and still ends with the summary line", "[render]") {
  plan::Plan p;
  p.cluster = "prod";
  p.errors = {"would stop 6 of 10 tasks; pass --allow-mass-delete"};
  CHECK(RenderPlanText(p, TextStyle{}) ==
        "No changes: the cluster prod matches the source.\n"
        "\n"
        "error: would stop 6 of 10 tasks; pass --allow-mass-delete\n"
        "No changes.\n");
}

TEST_CASE("colour wraps markers only when asked", "[render]") {
  std::string text = RenderPlanText(testing::SamplePlan(), TextStyle{.color = true});
  CHECK(text.find("\033[32m+ start w2: scale up 1 -> 4\033[0m") != std::string::npos);
  CHECK(text.find("\033[31m- stop k1: service removed (prune)\033[0m") != std::string::npos);
  CHECK(RenderPlanText(testing::SamplePlan(), TextStyle{}).find('\033') == std::string::npos);
}

TEST_CASE("NO_COLOR turns colour off even on a terminal", "[render]") {
  setenv("NO_COLOR", "1", 1);
  CHECK_FALSE(ColorWanted(1));
  unsetenv("NO_COLOR");
}

}  // namespace stowage::render
