// The release order in the text and Markdown forms of a plan.
#include <catch2/catch.hpp>

#include "plan/plan_json.h"
#include "render/plan_markdown.h"
#include "render/plan_text.h"
#include "support/sample_plan.h"

namespace stowage::render {
namespace {

plan::Plan Ordered() {
  plan::Plan p = testing::SamplePlan();
  p.order.waves = {{"db", "worker"}, {"api"}, {"web"}};
  p.order.gates = {
      {"api", plan::GateKind::kService, "db", "HEALTHY", "", true, ""},
      {"api", plan::GateKind::kTask, "migrate", "SUCCESS", "0123456789abcdef", true, ""},
      {"web", plan::GateKind::kService, "api", "STARTED", "", true, ""},
      {"worker", plan::GateKind::kService, "cache", "HEALTHY", "", false,
       "cache has nothing to deploy"}};
  return p;
}

}  // namespace

TEST_CASE("plan text shows the release order after the services", "[render][order]") {
  const std::string text = RenderPlanText(Ordered(), TextStyle{});
  CHECK(text.find("    - stop k1: service removed (prune)\n"
                  "\n"
                  "Release order (3 waves):\n"
                  "  wave 1: db, worker\n"
                  "  wave 2: api (after db HEALTHY, task migrate SUCCESS)\n"
                  "  wave 3: web (after api STARTED)\n"
                  "  not waiting: worker on cache HEALTHY (cache has nothing to deploy)\n"
                  "\n"
                  "warning: host web-4") != std::string::npos);
}

TEST_CASE("no dependsOn in the plan: no release order section", "[render][order]") {
  plan::Plan p = testing::SamplePlan();
  p.order.waves = {{"api", "web", "worker"}};
  CHECK(RenderPlanText(p, TextStyle{}).find("Release order") == std::string::npos);
  CHECK(RenderPlanMarkdown(plan::PlanToJson(p))[0].find("Release order") == std::string::npos);
}

TEST_CASE("markdown lists the release order, escaped", "[render][markdown][order]") {
  auto parts = RenderPlanMarkdown(plan::PlanToJson(Ordered()));
  REQUIRE(parts.size() == 1);
  CHECK(parts[0].find("**Release order (3 waves):**\n"
                      "\n"
                      "- wave 1: db, worker\n"
                      "- wave 2: api (after db HEALTHY, task migrate SUCCESS)\n"
                      "- wave 3: web (after api STARTED)\n"
                      "- not waiting: worker on cache HEALTHY (cache has nothing to deploy)\n"
                      "\n") != std::string::npos);
}

TEST_CASE("control characters in names never reach the terminal", "[render][order]") {
  plan::Plan p = Ordered();
  p.order.gates[3].why = "cache\x1b[2J has nothing to deploy";
  const std::string text = RenderPlanText(p, TextStyle{});
  CHECK(text.find('\x1b') == std::string::npos);
}

}  // namespace stowage::render
