#include <catch2/catch.hpp>

#include "load/decode.h"
#include "load_test_util.h"

namespace stowage::load {
namespace {

using Strings = std::vector<std::string>;

const char* kWebJson = R"({
  "family": "web",
  "cpu": "1 vCPU",
  "memory": "2 GB",
	"networkMode": "bridge",
  "containerDefinitions": [
    {
      "name": "app",
      "image": "nginx:1.25",
      "cpu": "256",
      "memory": 512,
      "portMappings": [{"containerPort": 80, "hostPort": "8080"}],
      "environment": [{"name": "MODE", "value": "prod"}]
    }
  ]
})";

TEST_CASE("a JSON task definition decodes with positions and ECS spellings", "[loader]") {
  auto loaded = LoadFiles({{"web.json", kWebJson}});
  CHECK(Lines(loaded) == Strings{});
  REQUIRE(loaded.ok());
  CHECK(loaded.task_definitions == 1);
  REQUIRE(loaded.state.task_definitions.size() == 1);
  const auto& td = loaded.state.task_definitions[0];
  CHECK(td.family == "web");
  CHECK(td.cpu == 1024);
  CHECK(td.memory == 2048);
  CHECK(td.position.file == "web.json");
  CHECK(td.position.line == 1);
  CHECK(td.position.column == 1);
  REQUIRE(td.containers.size() == 1);
  const auto& c = td.containers[0];
  CHECK(c.cpu == 256);
  CHECK(c.memory == 512);
  CHECK(c.essential);
  CHECK(c.position.line == 7);
  CHECK(c.position.column == 5);
  REQUIRE(c.port_mappings.size() == 1);
  CHECK(c.port_mappings[0].host_port == 8080);
  CHECK(c.port_mappings[0].protocol == "tcp");
  CHECK(c.port_mappings[0].position.line == 12);
  CHECK(c.port_mappings[0].position.column == 24);
  CHECK(c.environment[0].name == "MODE");
  CHECK(c.environment[0].value == "prod");
}

TEST_CASE("a YAML file holds several documents with their own positions", "[loader]") {
  auto loaded = LoadFiles({{"app.yaml", R"(# web
family: web
containerDefinitions:
  - name: app
    image: nginx
    memory: 128
---
serviceName: web
taskDefinition: web:3
desiredCount: 2
---
# an empty document is skipped
)"}});
  CHECK(Lines(loaded) == Strings{});
  CHECK(loaded.task_definitions == 1);
  CHECK(loaded.services == 1);
  REQUIRE(loaded.state.services.size() == 1);
  const auto& s = loaded.state.services[0];
  CHECK(s.name == "web");
  CHECK(s.task_definition == "web");
  CHECK(s.task_revision == 3);
  CHECK(s.desired_count == 2);
  CHECK(s.position.line == 8);
  CHECK(s.task_definition_position.line == 9);
  CHECK(s.task_definition_position.column == 17);
  CHECK(s.deployment_configuration.minimum_healthy_percent == 100);
  CHECK(s.deployment_configuration.maximum_percent == 200);
  const auto& c = loaded.state.task_definitions[0].containers[0];
  CHECK(c.position.line == 4);
  CHECK(c.position.column == 5);
}

TEST_CASE("syntax errors name the file, line and column", "[loader]") {
  CHECK(Lines(LoadFiles({{"bad.json", "{\n  \"family\": \"web\",\n  \"cpu\": 256,\n}\n"}})) ==
        Strings{"bad.json:3:13: error: JSON syntax error: trailing ',' before '}'"});
  CHECK(Lines(LoadFiles({{"bad.json", "{\"family\": \"web\" \"cpu\": 1}"}})) ==
        Strings{"bad.json:1:18: error: JSON syntax error: expected ',' or '}' in an object, "
                "got '\"'"});
  CHECK(Lines(LoadFiles({{"bad.yaml", "family: web\ncontainerDefinitions: [\n  {name: a\n"}})) ==
        Strings{"bad.yaml:4:1: error: YAML syntax error: end of map flow not found"});
  CHECK(Lines(LoadFiles({{"dup.yaml", "family: a\nfamily: b\n"}})) ==
        Strings{"dup.yaml:2:1: error: duplicate key \"family\" (first at line 1, column 1)"});
  CHECK(Lines(LoadFiles({{"dup.json", "{\"family\": \"a\",\n \"family\": \"b\"}"}})) ==
        Strings{"dup.json:2:2: error: duplicate key \"family\" (first at line 1, column 2)"});
}

TEST_CASE("schema errors are worded from the schema at the value's position", "[loader]") {
  auto loaded = LoadFiles({{"services/web.yaml", R"(serviceName: web
taskDefinition: web
desiredCount: three
schedulingStrategy: replica
)"}});
  CHECK(Lines(loaded) ==
        Strings{"services/web.yaml:3:15: error: desiredCount: expected an integer between 0 and "
                "5000 (ECS "
                "allows at most 5,000 tasks per service), got "
                "\"three\"",
                "services/web.yaml:4:21: error: schedulingStrategy: expected one of \"REPLICA\", "
                "\"DAEMON\", got \"replica\""});
  CHECK_FALSE(loaded.ok());
  CHECK(loaded.services == 1);
  CHECK(loaded.state.services.empty());
}

TEST_CASE("unknown fields are errors with a did-you-mean suggestion", "[loader]") {
  auto loaded = LoadFiles({{"s.yaml", "serviceName: web\ntaskDefinition: web\ndesiredCont: 2\n"},
                           {"t.yaml",
                            "family: t\ncontainerDefinitions:\n  - name: a\n    imag: x\n"
                            "    frobnicate: 1\n"}});
  CHECK(Lines(loaded) ==
        Strings{"s.yaml:1:1: error: missing required field \"desiredCount\"",
                "s.yaml:3:1: error: unknown field \"desiredCont\" (did you mean \"desiredCount\"?)",
                "t.yaml:3:5: error: containerDefinitions[0]: missing required field \"image\"",
                "t.yaml:4:5: error: unknown field \"imag\" in containerDefinitions[0] (did you "
                "mean \"image\"?)",
                "t.yaml:5:5: error: unknown field \"frobnicate\" in containerDefinitions[0]"});
}

TEST_CASE("AWS-only fields are accepted with one warning each", "[loader]") {
  auto loaded = LoadFiles({{"t.json", R"({"family": "t", "taskRoleArn": "arn:x",
 "networkMode": "awsvpc",
 "requiresCompatibilities": ["EC2"],
 "containerDefinitions": [{"name": "a", "image": "x", "memory": 64,
   "firelensConfiguration": {"type": "fluentbit"}}]})"}});
  CHECK(Lines(loaded) ==
        Strings{"t.json:1:17: warning: taskRoleArn is ignored (AWS only)",
                "t.json:2:17: warning: networkMode \"awsvpc\" is treated as \"bridge\" (awsvpc "
                "is AWS only)",
                "t.json:3:2: warning: requiresCompatibilities is ignored (AWS only)",
                "t.json:5:4: warning: containerDefinitions[0].firelensConfiguration is ignored "
                "(AWS only)"});
  REQUIRE(loaded.ok());
  CHECK(loaded.state.task_definitions[0].network_mode == model::NetworkMode::kBridge);
}

TEST_CASE("the describe-task-definition wrapper is unwrapped", "[loader]") {
  auto loaded = LoadFiles({{"d.json", R"({"taskDefinition": {"family": "d", "revision": 4,
  "containerDefinitions": [{"name": "a", "image": "x", "memory": "64"}]},
 "tags": [{"key": "team", "value": "core"}]})"}});
  CHECK(Lines(loaded) == Strings{"d.json:1:36: warning: revision is ignored (AWS only)"});
  REQUIRE(loaded.state.task_definitions.size() == 1);
  CHECK(loaded.state.task_definitions[0].family == "d");
  CHECK(loaded.state.task_definitions[0].tags.at("team") == "core");
  CHECK(loaded.state.task_definitions[0].containers[0].memory == 64);
}

TEST_CASE("task-level units accept ECS spellings", "[loader]") {
  CHECK(ParseCpuUnits("1 vCPU") == 1024);
  CHECK(ParseCpuUnits("0.5 vCPU") == 512);
  CHECK(ParseCpuUnits("0.25vcpu") == 256);
  CHECK(ParseCpuUnits("512") == 512);
  CHECK(ParseCpuUnits("0.5") == std::nullopt);
  CHECK(ParseCpuUnits("2 cores") == std::nullopt);
  CHECK(ParseMemoryMiB("2 GB") == 2048);
  CHECK(ParseMemoryMiB("1.5GB") == 1536);
  CHECK(ParseMemoryMiB("512") == 512);
  CHECK(ParseMemoryMiB("512 MiB") == 512);
  CHECK(ParseMemoryMiB("0 GB") == std::nullopt);
}

TEST_CASE("a cluster file decodes hosts with tls paths relative to it", "[loader]") {
  auto loaded = LoadFiles({{"infra/cluster.yaml", R"(kind: Cluster
name: prod
prune: true
hosts:
  - name: web-1
    endpoint: unix:///var/run/docker.sock
    attributes: {zone: eu-1a, slots: 4}
    reserved: {cpu: 256, memory: "512"}
  - name: web-2
    endpoint: tcp://10.0.0.6:2376
    tls: {ca: certs/ca.pem, cert: certs/cert.pem, key: ../infra/certs/key.pem}
    capacity: {cpu: 2048, memory: 4096}
    state: draining
)"},
                           {"infra/certs/ca.pem", "CA PEM"},
                           {"infra/certs/cert.pem", "CERT PEM"},
                           {"infra/certs/key.pem", "KEY PEM"}});
  CHECK(Lines(loaded) == Strings{});
  CHECK(loaded.hosts == 2);
  const auto& c = loaded.state.cluster;
  CHECK(c.name == "prod");
  CHECK(c.prune);
  REQUIRE(c.hosts.size() == 2);
  CHECK(c.hosts[0].attributes.at("slots") == "4");
  CHECK(c.hosts[0].reserved.memory == 512);
  CHECK(c.hosts[0].position.line == 5);
  CHECK_FALSE(c.hosts[0].tls.has_value());
  REQUIRE(c.hosts[1].tls.has_value());
  // Relative to the source root, read through the source (load/tls_files.h).
  CHECK(c.hosts[1].tls->ca == "infra/certs/ca.pem");
  CHECK(c.hosts[1].tls->key == "infra/certs/key.pem");
  CHECK(c.hosts[1].tls->ca_pem == "CA PEM");
  CHECK(c.hosts[1].tls->cert_pem == "CERT PEM");
  CHECK(c.hosts[1].tls->key_pem == "KEY PEM");
  CHECK(c.hosts[1].capacity->cpu == 2048);
  CHECK(c.hosts[1].state == model::HostState::kDraining);
}

TEST_CASE("cluster tls paths stay inside the source", "[loader]") {
  auto loaded = LoadFiles({{"infra/cluster.yaml", R"(kind: Cluster
name: prod
hosts:
  - name: web-2
    endpoint: tcp://10.0.0.6:2376
    tls: {ca: /etc/shadow, cert: ../../x/cert.pem, key: certs/../../key.pem}
)"}});
  CHECK(Lines(loaded) ==
        Strings{"infra/cluster.yaml:6:15: error: hosts[0].tls.ca: expected a file inside the "
                "source (relative to the cluster file), got \"/etc/shadow\" (an absolute path)",
                "infra/cluster.yaml:6:34: error: hosts[0].tls.cert: expected a file inside the "
                "source (relative to the cluster file), got \"../../x/cert.pem\" (it leaves the "
                "source)"});
}

}  // namespace
}  // namespace stowage::load
