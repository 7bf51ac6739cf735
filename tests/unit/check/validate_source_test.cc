#include <catch2/catch.hpp>

#include "check/validate_source.h"
#include "support/temp_dir.h"

namespace stowage::check {
namespace {

const char* kCluster = "kind: Cluster\nname: t\nhosts:\n  - {name: h1, endpoint: default}\n";

std::string Task(const std::string& family, const std::string& image) {
  return "family: " + family + "\ncontainerDefinitions:\n  - name: app\n    image: " + image +
         "\n    memory: 64\n";
}

std::string Service(const std::string& name, const std::string& family) {
  return "serviceName: " + name + "\ntaskDefinition: " + family + "\ndesiredCount: 2\n";
}

ValidatedSource Validate(const TempDir& dir) {
  auto source = NewDirectorySource(dir.path());
  return ValidateSource(*source);
}

}  // namespace

TEST_CASE("a valid source yields a DesiredState with revisions", "[check][validate]") {
  TempDir dir;
  dir.Write("cluster.yaml", kCluster);
  dir.Write("web.yaml", Task("web", "stowage/busybox:1") + "---\n" + Service("web", "web"));
  dir.Write(
      "db.json",
      R"({"family": "db", "containerDefinitions": [{"name": "app", "image": "x", "memory": "64"}]})");
  auto v = Validate(dir);
  CHECK(v.diagnostics.items().empty());
  REQUIRE(v.ok());
  CHECK(v.state->task_definitions.size() == 2);
  CHECK(v.state->services.size() == 1);
  for (const auto& td : v.state->task_definitions) CHECK(td.revision.size() == 16);
  CHECK(Summary(v) == "2 task definitions, 1 service, 1 host: 0 errors, 0 warnings");
}

TEST_CASE("one bad file makes the whole source invalid: no DesiredState", "[check][validate]") {
  TempDir dir;
  dir.Write("cluster.yaml", kCluster);
  for (int i = 0; i < 5; ++i) {
    const std::string name = "svc" + std::to_string(i);
    dir.Write(name + ".yaml", Task(name, "stowage/busybox:1") + "---\n" + Service(name, name));
  }
  REQUIRE(Validate(dir).ok());

  SECTION("a syntax error in one file") { dir.Write("broken.yaml", "family: [broken\n"); }
  SECTION("a schema error in one file") {
    dir.Write("svc3.yaml", Task("svc3", "stowage/busybox:1") +
                               "---\nserviceName: svc3\ntaskDefinition: svc3\ndesiredCount: x\n");
  }
  SECTION("a semantic error in one file") {
    dir.Write("svc4.yaml", Task("svc4", "stowage/busybox:1") + "---\n" + Service("svc4", "nope"));
  }
  SECTION("an unknown document") { dir.Write("notes.yaml", "title: not a document\n"); }
  auto v = Validate(dir);
  CHECK(v.diagnostics.HasErrors());
  CHECK_FALSE(v.ok());
  CHECK_FALSE(v.state.has_value());
}

TEST_CASE("a dependsOn cycle across files is one error at file:line:col", "[check][validate]") {
  TempDir dir;
  dir.Write("cluster.yaml", kCluster);
  dir.Write("web.yaml", Task("web", "stowage/busybox:1") + "---\n" + Service("web", "web") +
                            "dependsOn:\n  - {service: api, condition: HEALTHY}\n");
  dir.Write("api.yaml", Task("api", "stowage/busybox:1") + "---\n" + Service("api", "api") +
                            "dependsOn:\n  - service: web\n    condition: STARTED\n");
  auto v = Validate(dir);
  REQUIRE(v.diagnostics.items().size() == 1);
  CHECK(FormatDiagnostic(v.diagnostics.items()[0]) ==
        "web.yaml:11:15: error: dependsOn: cycle api -> web -> api");
  CHECK_FALSE(v.ok());
}

TEST_CASE("warnings alone keep the source valid", "[check][validate]") {
  TempDir dir;
  dir.Write("cluster.yaml", kCluster);
  dir.Write("web.json", R"({"family": "web", "taskRoleArn": "arn:aws:iam::1:role/x",
  "containerDefinitions": [{"name": "app", "image": "x", "memory": 64}]})");
  auto v = Validate(dir);
  CHECK(v.ok());
  CHECK(v.diagnostics.warnings() == 1);
  CHECK(Summary(v) == "1 task definition, 0 services, 1 host: 0 errors, 1 warning");
}

TEST_CASE("revision: spelling, key order and defaults do not matter", "[check][revision]") {
  auto revision_of = [](const std::string& file, const std::string& text) {
    TempDir dir;
    dir.Write("cluster.yaml", kCluster);
    dir.Write(file, text);
    auto v = Validate(dir);
    INFO(FormatDiagnostic(v.diagnostics.items().empty() ? Diagnostic{} : v.diagnostics.items()[0]));
    REQUIRE(v.ok());
    return v.state->task_definitions.at(0).revision;
  };
  const auto base = revision_of("web.yaml", R"(family: web
cpu: 1 vCPU
memory: 1 GB
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    portMappings:
      - containerPort: 8080
    healthCheck:
      command: [CMD-SHELL, "wget -q -O /dev/null http://127.0.0.1:8080/"]
    environment:
      - {name: A, value: "1"}
      - {name: B, value: "2"}
)");
  // JSON, other key order, numbers as strings, defaults written out.
  CHECK(revision_of("web.json", R"({
  "containerDefinitions": [{
    "environment": [{"value": "2", "name": "B"}, {"name": "A", "value": "1"}],
    "healthCheck": {"retries": 3, "interval": "30", "timeout": 5, "startPeriod": 0,
                    "command": ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/"]},
    "portMappings": [{"protocol": "tcp", "containerPort": "8080", "hostPort": 0}],
    "essential": true,
    "image": "stowage/busybox:1",
    "name": "app"
  }],
  "memory": "1024",
  "cpu": 1024,
  "networkMode": "bridge",
  "family": "web"
})") == base);
  // A real change: another command.
  CHECK(revision_of("web.yaml", R"(family: web
cpu: 1 vCPU
memory: 1 GB
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    command: [sleep, "10"]
    portMappings:
      - containerPort: 8080
    healthCheck:
      command: [CMD-SHELL, "wget -q -O /dev/null http://127.0.0.1:8080/"]
    environment:
      - {name: A, value: "1"}
      - {name: B, value: "2"}
)") != base);
}

TEST_CASE("examples/ validates with no errors and no warnings", "[check][validate]") {
  auto source = NewDirectorySource(std::string(STOWAGE_SOURCE_DIR) + "/examples");
  auto v = ValidateSource(*source);
  for (const auto& d : v.diagnostics.items()) UNSCOPED_INFO(FormatDiagnostic(d));
  CHECK(v.diagnostics.items().empty());
  REQUIRE(v.ok());
  CHECK(Summary(v) == "4 task definitions, 3 services, 3 hosts: 0 errors, 0 warnings");
  const auto* web = v.state->FindService("web");
  REQUIRE(web != nullptr);
  CHECK(web->desired_count == 3);
  CHECK(v.state->FindService("log-shipper")->scheduling_strategy ==
        model::SchedulingStrategy::kDaemon);
  CHECK(v.state->FindTaskDefinition("nightly-report") != nullptr);
}

}  // namespace stowage::check
