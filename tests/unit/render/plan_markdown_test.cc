#include <catch2/catch.hpp>

#include "plan/plan_json.h"
#include "render/plan_markdown.h"
#include "support/sample_plan.h"

namespace stowage::render {
namespace {

using Json = nlohmann::ordered_json;

// Every code fence closed by a fence of the same length, every <details>
// closed, none nested wrongly: a part GitHub renders as written.
std::string Unbalanced(const std::string& part) {
  std::string fence;  // the open fence, "" outside code
  int details = 0;
  std::size_t start = 0;
  while (start < part.size()) {
    std::size_t end = part.find('\n', start);
    if (end == std::string::npos) end = part.size();
    std::string line = part.substr(start, end - start);
    start = end + 1;
    std::size_t ticks = line.find_first_not_of('`');
    if (ticks == std::string::npos) ticks = line.size();
    if (ticks >= 3) {
      if (fence.empty()) {
        fence = line.substr(0, ticks);
      } else if (line == fence) {
        fence.clear();
      }
      continue;
    }
    if (!fence.empty()) continue;
    if (line.rfind("<details>", 0) == 0) ++details;
    if (line.rfind("</details>", 0) == 0 && --details < 0) return "</details> without <details>";
  }
  if (!fence.empty()) return "code block left open";
  if (details != 0) return std::to_string(details) + " <details> left open";
  return "";
}

// A plan of `n` services, each a deployment with image and environment changes.
Json BigPlan(int n) {
  plan::Plan p;
  p.cluster = "prod";
  for (int i = 0; i < n; ++i) {
    plan::ServicePlan s;
    s.service = "svc-" + std::to_string(i);
    s.family = s.service;
    s.revision = "bbbbbbbbbbbbbbbb";
    s.scheduling_strategy = "REPLICA";
    s.desired = 2;
    s.running = 2;
    s.deployment = plan::Deployment{"aaaaaaaaaaaaaaaa", s.revision, 2, 4, false, 3, false};
    s.steps.push_back({{{plan::ActionType::kStart, "h1", "n" + std::to_string(i), s.revision,
                         "revision change", "o" + std::to_string(i)},
                        {plan::ActionType::kStop, "h2", "o" + std::to_string(i), "aaaaaaaaaaaaaaaa",
                         "revision change", ""}},
                       2,
                       4});
    s.changes = {
        {plan::ChangeOp::kChange, "containerDefinitions[\"app\"].image", "app:1", "app:2", false},
        {plan::ChangeOp::kAdd,
         "containerDefinitions[\"app\"].environment.LOG_LEVEL",
         {},
         "debug",
         false}};
    p.services.push_back(std::move(s));
  }
  p.summary = plan::ComputeSummary(p.services);
  return plan::PlanToJson(p);
}

}  // namespace

TEST_CASE("markdown: summary line first, a table and a diff block per service",
          "[render][markdown]") {
  auto parts = RenderPlanMarkdown(plan::PlanToJson(testing::SamplePlan()));
  REQUIRE(parts.size() == 1);
  const std::string& md = parts[0];
  CHECK(md.rfind("**Plan: 2 services to update, 0 to create, 1 to remove; 4 tasks to start, 4 "
                 "to stop**\n",
                 0) == 0);
  CHECK(md.find("```diff\n"
                "! containerDefinitions[\"api\"].image: \"api:1\" -> \"api:2\"\n"
                "! containerDefinitions[\"api\"].secrets.DB: (sensitive value changed)\n"
                "```\n") != std::string::npos);
  CHECK(md.find("<details><summary>Changed outside stowage: 1 task</summary>") !=
        std::string::npos);
  CHECK(md.find("| **api** | REPLICA | 2 | 2 | aaaaaaaaaaaa → bbbbbbbbbbbb | 2 | 2 |") !=
        std::string::npos);
  CHECK(Unbalanced(md).empty());
}

TEST_CASE("markdown: a plan with nothing to do says No changes.", "[render][markdown]") {
  plan::Plan p;
  p.cluster = "prod";
  auto parts = RenderPlanMarkdown(plan::PlanToJson(p));
  REQUIRE(parts.size() == 1);
  CHECK(parts[0].rfind("**No changes.**\n", 0) == 0);
}

TEST_CASE("markdown: a value with backticks gets a longer fence", "[render][markdown]") {
  auto json = BigPlan(1);
  json["services"][0]["changes"][0]["after"] = "```\n<details>\x1b[2J";
  auto parts = RenderPlanMarkdown(json);
  REQUIRE(parts.size() == 1);
  CHECK(parts[0].find("````diff\n") != std::string::npos);
  CHECK(parts[0].find('\x1b') == std::string::npos);
  CHECK(Unbalanced(parts[0]).empty());
}

TEST_CASE("markdown: names are escaped outside code", "[render][markdown]") {
  auto json = BigPlan(1);
  json["services"][0]["service"] = "<img src=x>|*";
  json["warnings"] = {"host `h1` <b>down</b>"};
  auto md = RenderPlanMarkdown(json)[0];
  CHECK(md.find("<img") == std::string::npos);
  CHECK(md.find("<b>") == std::string::npos);
  CHECK(md.find("### &lt;img src=x&gt;\\|\\*\n") != std::string::npos);
}

TEST_CASE("markdown: 10,000 services split into balanced parts under 65,536 characters",
          "[render][markdown]") {
  auto json = BigPlan(10000);
  auto parts = RenderPlanMarkdown(json);
  REQUIRE(parts.size() > 1);
  std::size_t services = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    INFO("part " << i + 1);
    CHECK(parts[i].size() < 65536);
    CHECK(Unbalanced(parts[i]).empty());
    CHECK(parts[i].rfind("_stowage plan, part " + std::to_string(i + 1) + " of " +
                             std::to_string(parts.size()) + "_\n",
                         0) == 0);
    for (std::size_t at = parts[i].find("\n### svc-"); at != std::string::npos;
         at = parts[i].find("\n### svc-", at + 1)) {
      ++services;
    }
  }
  CHECK(services == 10000);
  CHECK(parts[0].find("**Plan: 10000 services to update, 0 to create, 0 to remove; 10000 tasks "
                      "to start, 10000 to stop**") != std::string::npos);
}

TEST_CASE("markdown: one service with a huge diff is cut into folded blocks",
          "[render][markdown]") {
  auto json = BigPlan(1);
  auto& changes = json["services"][0]["changes"];
  for (int i = 0; i < 5000; ++i) {
    changes.push_back({{"op", "add"},
                       {"path", "containerDefinitions[\"app\"].environment.V" + std::to_string(i)},
                       {"after", std::string(40, 'x')}});
  }
  changes.push_back({{"op", "add"}, {"path", "huge"}, {"after", std::string(200000, 'y')}});
  auto parts = RenderPlanMarkdown(json, 65536);
  REQUIRE(parts.size() > 1);
  for (const auto& part : parts) {
    CHECK(part.size() < 65536);
    CHECK(Unbalanced(part).empty());
  }
  CHECK(parts[0].find("<details><summary>5003 changes (lines 1-") != std::string::npos);
}

TEST_CASE("markdown: validation errors as a list with file:line", "[render][markdown]") {
  Diagnostics d;
  d.Error({"services/web.yaml", 3, 15}, "desiredCount: expected an integer ≥ 0, got \"three\"");
  d.Warning({"web.json", 2, 1}, "taskRoleArn is ignored");
  auto parts = RenderDiagnosticsMarkdown(d, "fleet");
  REQUIRE(parts.size() == 1);
  CHECK(parts[0] ==
        "**The source does not validate: 1 error, 1 warning.** Nothing would be applied.\n"
        "\n"
        "- **fleet/services/web.yaml:3:15**: error: desiredCount: expected an integer ≥ 0, "
        "got \"three\"\n"
        "- **fleet/web.json:2:1**: warning: taskRoleArn is ignored\n");
}

}  // namespace stowage::render
