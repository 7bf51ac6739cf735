#include <catch2/catch.hpp>

#include "plan/plan_json.h"
#include "support/sample_plan.h"

namespace stowage::plan {

namespace {
std::string ErrorOf(const std::string& text) {
  auto r = ParsePlanJson(text);
  REQUIRE_FALSE(r.ok());
  return r.status().message();
}
std::string Edited(void (*edit)(nlohmann::ordered_json&)) {
  auto j = PlanToJson(testing::SamplePlan());
  edit(j);
  return j.dump();
}
}  // namespace

TEST_CASE("plan JSON round-trips byte for byte", "[plan][json]") {
  std::string text = PlanToJsonText(testing::SamplePlan());
  auto back = ParsePlanJson(text);
  REQUIRE(back.ok());
  CHECK(PlanToJsonText(*back) == text);
  CHECK(text.rfind("{\n  \"format_version\": 6,\n  \"cluster\": \"prod\",\n  \"source\": {\n"
                   "    \"dir\": \"/srv/fleet\",\n    \"repo\": \"\",\n    \"ref\": \"\",\n"
                   "    \"path\": \"prod\",\n    \"template_values\": {\n"
                   "      \"LOG_LEVEL\": \"unset\",\n      \"TAG\": \"sha256=aaaa",
                   0) == 0);
  CHECK(back->source == testing::SamplePlan().source);
  CHECK(text.back() == '\n');
}

TEST_CASE("plan JSON reading is strict and names the path", "[plan][json]") {
  CHECK(ErrorOf("{\"format_version\": 2,\n  oops}") == "2:3: not valid JSON");
  CHECK(ErrorOf(Edited([](auto& j) { j["format_version"] = 1; })) ==
        "format_version: unsupported plan format 1 (this stowage reads 6)");
  CHECK(ErrorOf(Edited([](auto& j) { j["source"].erase("template_values"); })) ==
        "source.template_values: missing");
  CHECK(ErrorOf(Edited([](auto& j) { j["source"]["template_values"]["TAG"] = 1; })) ==
        "source.template_values.TAG: expected a string, got an integer");
  CHECK(ErrorOf(Edited([](auto& j) { j.erase("source"); })) == "source: missing");
  CHECK(ErrorOf(Edited([](auto& j) { j["source"]["branch"] = "main"; })) ==
        "source.branch: unknown field");
  CHECK(ErrorOf(Edited([](auto& j) { j["source"]["repo"] = "https://git.example/fleet"; })) ==
        "source: expected at most one of dir and repo");
  CHECK(ErrorOf(Edited([](auto& j) { j.erase("cluster"); })) == "cluster: missing");
  CHECK(ErrorOf(Edited([](auto& j) { j["colour"] = true; })) == "colour: unknown field");
  CHECK(
      ErrorOf(Edited([](auto& j) { j["services"][0]["steps"][1]["actions"][0]["type"] = "go"; })) ==
      "services[0].steps[1].actions[0].type: expected one of start, stop, remove, got \"go\"");
  CHECK(ErrorOf(Edited([](auto& j) { j["services"][1]["desired"] = "4"; })) ==
        "services[1].desired: expected an integer, got a string");
  CHECK(ErrorOf(Edited([](auto& j) { j["services"][1]["blocked"][0]["count"] = 0; })) ==
        "services[1].blocked[0].count: expected an integer >= 1, got 0");
  CHECK(ErrorOf(Edited([](auto& j) { j["services"][2]["scheduling_strategy"] = "BATCH"; })) ==
        "services[2].scheduling_strategy: expected REPLICA or DAEMON, got \"BATCH\"");
  CHECK(ErrorOf(Edited([](auto& j) { j["summary"]["to_stop"] = 0; })) ==
        "summary: says 1 to start, 0 to stop, 3 to replace, 1 blocked but the actions add up to "
        "1 to start, 1 to stop, 3 to replace, 1 blocked");
  CHECK(ErrorOf(Edited([](auto& j) { j["services"][0]["changes"][0]["op"] = "edit"; })) ==
        "services[0].changes[0].op: expected one of add, change, remove, got \"edit\"");
  CHECK(ErrorOf(Edited([](auto& j) { j["services"][0]["changes"][1]["after"] = "s3cret"; })) ==
        "services[0].changes[1]: a sensitive change carries no values");
  CHECK(ErrorOf(Edited([](auto& j) { j["services"][0]["compared_with"] = "git"; })) ==
        "services[0].compared_with: expected one of running, nothing, unrecorded, got \"git\"");
  CHECK(ErrorOf(Edited([](auto& j) { j["services"][1]["drift"][0].erase("what"); })) ==
        "services[1].drift[0].what: missing");
  CHECK(ErrorOf("[]") == "expected an object, got an array");
}

namespace {
Plan WithOrder() {
  Plan plan = testing::SamplePlan();
  plan.order.waves = {{"db", "web"}, {"api"}};
  plan.order.gates = {
      {"api", GateKind::kService, "db", "HEALTHY", "", true, ""},
      {"api", GateKind::kTask, "migrate", "SUCCESS", "0123456789abcdef", true, ""},
      {"web", GateKind::kService, "cache", "STARTED", "", false, "cache has nothing to deploy"}};
  return plan;
}
std::string OrderEdited(void (*edit)(nlohmann::ordered_json&)) {
  auto j = PlanToJson(WithOrder());
  edit(j);
  return j.dump();
}
}  // namespace

TEST_CASE("the release order round-trips and is read strictly", "[plan][json][order]") {
  const std::string text = PlanToJsonText(WithOrder());
  CHECK(text.find(R"(  "order": {
    "waves": [
      [
        "db",
        "web"
      ],
      [
        "api"
      ]
    ],
    "gates": [
      {
        "service": "api",
        "kind": "service",
        "on": "db",
        "condition": "HEALTHY",
        "waits": true
      },
      {
        "service": "api",
        "kind": "task",
        "on": "migrate",
        "condition": "SUCCESS",
        "revision": "0123456789abcdef",
        "waits": true
      },
      {
        "service": "web",
        "kind": "service",
        "on": "cache",
        "condition": "STARTED",
        "waits": false,
        "why": "cache has nothing to deploy"
      }
    ]
  },
  "targets": [],
  "summary": {)") != std::string::npos);
  auto back = ParsePlanJson(text);
  REQUIRE(back.ok());
  CHECK(back->order == WithOrder().order);
  CHECK(PlanToJsonText(*back) == text);

  CHECK(ErrorOf(OrderEdited([](auto& j) { j.erase("order"); })) == "order: missing");
  CHECK(ErrorOf(OrderEdited([](auto& j) { j["order"]["waves"][1] = "api"; })) ==
        "order.waves[1]: expected an array, got a string");
  CHECK(ErrorOf(OrderEdited([](auto& j) { j["order"]["waves"][0][1] = 7; })) ==
        "order.waves[0][1]: expected a string, got an integer");
  CHECK(ErrorOf(OrderEdited([](auto& j) { j["order"]["gates"][0]["kind"] = "job"; })) ==
        "order.gates[0].kind: expected one of service, task, got \"job\"");
  CHECK(ErrorOf(OrderEdited([](auto& j) { j["order"]["gates"][1]["condition"] = "DONE"; })) ==
        "order.gates[1].condition: expected one of STARTED, HEALTHY, COMPLETE, SUCCESS, got "
        "\"DONE\"");
  CHECK(ErrorOf(OrderEdited([](auto& j) { j["order"]["gates"][2].erase("waits"); })) ==
        "order.gates[2].waits: missing");
  CHECK(ErrorOf(OrderEdited([](auto& j) { j["order"]["after"] = 1; })) ==
        "order.after: unknown field");
}

TEST_CASE("a plan file that cannot be read names the file", "[plan][json]") {
  auto r = ReadPlanFile("/nonexistent/plan.json");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "/nonexistent/plan.json: cannot open the plan file");
}

}  // namespace stowage::plan
