// The field-level diff between what runs and what the source says.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "apply/container_spec.h"
#include "model/labels.h"
#include "model/normal_form.h"
#include "plan/definition_diff.h"
#include "plan/plan_json.h"
#include "render/change_line.h"
#include "render/plan_markdown.h"
#include "render/plan_text.h"
#include "support/golden.h"
#include "support/plan_world.h"

namespace stowage::plan {
namespace {

using Json = nlohmann::json;
using testing::PlanWorld;

std::vector<std::string> Lines(const std::vector<FieldChange>& changes) {
  ServicePlan sp;
  sp.changes = changes;
  Plan p;
  p.services.push_back(sp);
  std::vector<std::string> out;
  auto json = PlanToJson(p);
  for (const auto& c : json["services"][0]["changes"]) {
    out.push_back(render::ChangeLine(c));
  }
  return out;
}

model::Secret Secret(const std::string& name, const std::string& from) { return {name, from}; }

// web: one container "app" with LOG_LEVEL=info, OLD=1, a secret and port 8080.
PlanWorld& Web(PlanWorld& w) {
  for (const char* h : {"h1", "h2", "h3"}) w.AddHost(h);
  auto& td = w.AddTaskDefinition("web", 256, 256, 8080);
  td.containers[0].image = testing::kWorldImage;
  td.containers[0].environment = {{"LOG_LEVEL", "info"}, {"OLD", "1"}};
  td.containers[0].secrets = {Secret("DB_PASSWORD", "db_v1")};
  w.Revise();
  w.AddService("web", "web", 3);
  for (const char* h : {"h1", "h2", "h3"}) w.SeedTask("web", h, std::string("t-") + h);
  return w;
}

model::TaskDefinition& Td(PlanWorld& w) { return w.desired.task_definitions[0]; }

void Golden(const std::string& name, const std::string& actual) {
  CHECK(testing::GoldenFile("plan/" + name) == actual);
  testing::UpdateGolden("plan/" + name, actual);
}

}  // namespace

TEST_CASE("diff of normal forms: leaves, set members, secrets without values", "[plan][diff]") {
  model::TaskDefinition a;
  a.family = "web";
  model::ContainerDefinition c;
  c.name = "web";
  c.image = "nginx:1.25";
  c.environment = {{"A", "1"}, {"GONE", "x"}};
  c.secrets = {Secret("DB", "prod/db")};
  c.port_mappings.push_back({8080, 0, "tcp", {}});
  a.containers.push_back(c);
  model::TaskDefinition b = a;
  b.containers[0].image = "nginx:1.27";
  b.containers[0].environment = {{"A", "2"}, {"LOG_LEVEL", "debug"}};
  b.containers[0].secrets = {Secret("DB", "prod/db2"), Secret("NEW", "prod/new")};
  b.containers[0].port_mappings = {{9090, 9090, "udp", {}}};
  auto changes =
      DiffNormalForms(model::TaskDefinitionNormalForm(a), model::TaskDefinitionNormalForm(b), true);
  CHECK(Lines(changes) == std::vector<std::string>{
                              "~ containerDefinitions[\"web\"].environment.A: \"1\" -> \"2\"",
                              "- containerDefinitions[\"web\"].environment.GONE: \"x\"",
                              "+ containerDefinitions[\"web\"].environment.LOG_LEVEL: \"debug\"",
                              "~ containerDefinitions[\"web\"].image: \"nginx:1.25\" -> "
                              "\"nginx:1.27\"",
                              "- containerDefinitions[\"web\"].portMappings[8080/tcp]",
                              "+ containerDefinitions[\"web\"].portMappings[9090:9090/udp]",
                              "~ containerDefinitions[\"web\"].secrets.DB: (sensitive value "
                              "changed)",
                              "+ containerDefinitions[\"web\"].secrets.NEW: (sensitive value)",
                          });
  // No reference of a secret reaches the plan, not even in its JSON form.
  Plan p;
  p.services.push_back({});
  p.services[0].changes = changes;
  std::string json = PlanToJsonText(p);
  CHECK(json.find("prod/db") == std::string::npos);
  CHECK(json.find("prod/new") == std::string::npos);
}

TEST_CASE("diff paths and values escape what a commit may put in names", "[plan][diff]") {
  Json a = {{"containerDefinitions", {{"x\"y", {{"image", "a"}}}}}};
  Json b = {{"containerDefinitions", {{"x\"y", {{"image", "b\x1b[2J"}}}}}};
  a["containerDefinitions"]["x\"y"]["environment"]["bad\nname"] = "1";
  auto lines = Lines(DiffNormalForms(a, b, true));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "- containerDefinitions[\"x\"y\"].environment[\"bad\\nname\"]: \"1\"");
  CHECK(lines[1] == "~ containerDefinitions[\"x\"y\"].image: \"a\" -> \"b\\u001b[2J\"");
}

TEST_CASE("service-level changes: desiredCount, placement, deployment", "[plan][diff]") {
  model::Service a;
  a.name = "web";
  a.desired_count = 3;
  model::Service b = a;
  b.desired_count = 5;
  b.placement_strategy = {{"spread", "attribute:zone", {}}};
  b.placement_constraints = {{"memberOf", "attribute:zone in [a, b]", {}}};
  b.deployment_configuration.minimum_healthy_percent = 50;
  CHECK(Lines(DiffNormalForms(model::ServiceNormalForm(a), model::ServiceNormalForm(b))) ==
        std::vector<std::string>{
            "~ deploymentConfiguration.minimumHealthyPercent: 100 -> 50",
            "~ desiredCount: 3 -> 5",
            "+ placementConstraints[memberOf attribute:zone in [a, b]]",
            "+ placementStrategy: [\"spread(attribute:zone)\"]",
        });
}

TEST_CASE("the plan diffs the recorded definition: image and one variable, nothing else",
          "[plan][diff]") {
  PlanWorld w;
  Web(w);
  CHECK_FALSE(w.Plan().HasChanges());
  Td(w).containers[0].image = "stowage/busybox:2";
  Td(w).containers[0].environment[0].value = "debug";
  w.Revise();
  Plan p = w.Plan();
  REQUIRE(p.services.size() == 1);
  CHECK(p.services[0].compared_with == ComparedWith::kRunning);
  CHECK(Lines(p.services[0].changes) ==
        std::vector<std::string>{
            "~ containerDefinitions[\"app\"].environment.LOG_LEVEL: \"info\" -> \"debug\"",
            "~ containerDefinitions[\"app\"].image: \"stowage/busybox:1\" -> "
            "\"stowage/busybox:2\"",
        });
  CHECK(p.services[0].drift.empty());
}

TEST_CASE("docker update shows under changed outside stowage, not as a change", "[plan][diff]") {
  PlanWorld w;
  Web(w);
  runtime::UpdatableConfig config;
  config.memory_bytes = 512LL * 1024 * 1024;
  config.restart_policy = "no";
  REQUIRE(w.Engine("h2").UpdateConfig("web.app.t-h2", config).ok());
  Plan p = w.Plan();
  INFO(render::RenderPlanText(p, {}));
  REQUIRE(p.services.size() == 1);
  CHECK(p.services[0].changes.empty());
  CHECK(p.services[0].drift ==
        std::vector<DriftNote>{{"h2", "t-h2", "app memory 512 MiB (defined 256 MiB)"}});
  std::string text = render::RenderPlanText(p, {});
  CHECK(text.find("  changed outside stowage:\n    h2 task t-h2: app memory 512 MiB (defined "
                  "256 MiB)\n") != std::string::npos);
  CHECK(text.find("changes:") == std::string::npos);
}

TEST_CASE("tasks without the labels: the plan says what runs is not known", "[plan][diff]") {
  PlanWorld w;
  for (const char* h : {"h1", "h2"}) w.AddHost(h);
  w.AddTaskDefinition("web");
  w.AddService("web", "web", 2);
  // As an older stowage created it: without the definition labels.
  auto spec = apply::BuildTaskSpec(Td(w), {"prod", "h1", "web", "t1", false, ""});
  REQUIRE(spec.ok());
  auto c = spec->containers[0].spec;
  c.labels.erase(labels::kDefinition);
  REQUIRE(w.Engine("h1").AddContainer(c).ok());
  Plan p = w.Plan();
  REQUIRE(p.services.size() == 1);
  CHECK(p.services[0].compared_with == ComparedWith::kUnrecorded);
  CHECK(p.services[0].changes.empty());
}

TEST_CASE("a new service lists its whole definition as added", "[plan][diff]") {
  PlanWorld w;
  w.AddHost("h1");
  w.AddTaskDefinition("web");
  w.AddService("web", "web", 1);
  Plan p = w.Plan();
  REQUIRE(p.services.size() == 1);
  CHECK(p.services[0].compared_with == ComparedWith::kNothing);
  auto lines = Lines(p.services[0].changes);
  CHECK(std::find(lines.begin(), lines.end(), "+ desiredCount: 1") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(),
                  "+ containerDefinitions[\"app\"].image: \"stowage/busybox:1\"") != lines.end());
}

TEST_CASE("golden: image, environment, port, secret, desiredCount, placement", "[plan][diff]") {
  PlanWorld w;
  Web(w);
  auto& c = Td(w).containers[0];
  c.image = "stowage/busybox:2";
  c.environment = {{"LOG_LEVEL", "debug"}, {"NEW", "yes"}};  // change, add; OLD removed
  c.port_mappings[0].host_port = 0;                          // dynamic
  c.secrets[0].value_from = "db_v2";
  w.Revise();
  auto& s = w.desired.services[0];
  s.desired_count = 4;
  s.placement_strategy = {{"spread", "attribute:zone", {}}};
  Plan p = w.Plan();
  Golden("diff.expected.txt", render::RenderPlanText(p, {}));
  Golden("diff.expected.json", PlanToJsonText(p));
  auto markdown = render::RenderPlanMarkdown(PlanToJson(p));
  REQUIRE(markdown.size() == 1);
  Golden("diff.expected.md", markdown[0]);
  // The JSON plan reads back to the same plan.
  auto back = ParsePlanJson(PlanToJsonText(p));
  REQUIRE(back.ok());
  CHECK(PlanToJsonText(*back) == PlanToJsonText(p));
}

}  // namespace stowage::plan
