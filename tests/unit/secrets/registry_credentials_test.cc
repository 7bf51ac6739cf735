// Registry credentials (ECS repositoryCredentials): decoded with their
// position, their value parsed without ever showing it, carried to the pull
// and kept out of the spec hash and the normal form.
#include "secrets/registry_credentials.h"

#include <catch2/catch.hpp>

#include "apply/container_spec.h"
#include "model/labels.h"
#include "model/normal_form.h"
#include "unit/load/load_test_util.h"

namespace stowage::secrets {
namespace {

const char* const kMalformed =
    "credentialsParameter \"reg/creds\": the value is not {\"username\": …, \"password\": …} "
    "nor user:password (the value is not shown)";

TEST_CASE("registry credentials: Secrets Manager JSON or user:password", "[secrets]") {
  auto json = ParseRegistryCredentials("reg/creds", R"({"username": "ci", "password": "p:w"})");
  REQUIRE(json.ok());
  CHECK(json->username == "ci");
  CHECK(json->password == "p:w");
  auto pair = ParseRegistryCredentials("reg/creds", "ci:pa:ss\n");  // a file's newline dropped
  REQUIRE(pair.ok());
  CHECK(pair->username == "ci");
  CHECK(pair->password == "pa:ss");
}

TEST_CASE("registry credentials: a malformed value names the key, never the value", "[secrets]") {
  for (const char* value : {"hunter2", "", ":hunter2", "ci:", R"({"username": "ci"})",
                            R"({"username": "ci", )", R"({"username": "ci", "password": 7})",
                            R"(["ci", "hunter2"])", "ci:hunt\ner2", "ci:hunter2\n\n"}) {
    auto r = ParseRegistryCredentials("reg/creds", value);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == kMalformed);
  }
}

TEST_CASE("registry credentials: decoded with the position of the parameter", "[secrets]") {
  auto loaded = load::LoadFiles({{"web.yaml", R"(family: web
containerDefinitions:
  - name: app
    image: registry.example:5000/app:1
    memory: 64
    repositoryCredentials:
      credentialsParameter: "arn:aws:secretsmanager:eu-west-1:1:secret:reg/ci-AbCdEf"
)"}});
  CHECK(load::Lines(loaded).empty());
  REQUIRE(loaded.state.task_definitions.size() == 1);
  const auto& c = loaded.state.task_definitions[0].containers[0];
  CHECK(c.credentials_parameter == "arn:aws:secretsmanager:eu-west-1:1:secret:reg/ci-AbCdEf");
  CHECK(c.credentials_position.file == "web.yaml");
  CHECK(c.credentials_position.line == 7);
  CHECK(c.credentials_position.column == 29);
}

model::TaskDefinition PrivateTask() {
  model::TaskDefinition td;
  td.family = "web";
  td.revision = "rev1";
  model::ContainerDefinition app;
  app.name = "app";
  app.image = "registry.example:5000/app:1";
  app.credentials_parameter = "reg/creds";
  model::ContainerDefinition side;
  side.name = "side";
  side.image = "stowage/busybox:1";
  td.containers = {app, side};
  return td;
}

const apply::TaskIdentity kId{"prod", "web-1", "web", "t1", false, ""};

TEST_CASE("registry credentials: carried to the pull, outside the spec hash", "[secrets]") {
  const auto td = PrivateTask();
  auto value = std::string("ci:hunter2");
  auto resolve = [&](const std::string& ref) -> Result<std::string> {
    if (ref == "reg/creds") return value;
    return Status::NotFound("valueFrom \"" + ref + "\": not found");
  };
  auto spec = apply::BuildTaskSpec(td, kId, resolve);
  REQUIRE(spec.ok());
  const auto& app = spec->Find("app")->spec;
  REQUIRE(app.pull_credentials);
  CHECK(app.pull_credentials->username == "ci");
  CHECK(app.pull_credentials->password == "hunter2");
  CHECK_FALSE(spec->Find("side")->spec.pull_credentials);
  for (const auto& e : app.env) CHECK(e.find("hunter2") == std::string::npos);
  for (const auto& [k, v] : app.labels) CHECK(v.find("hunter2") == std::string::npos);

  value = "ci:rotated";
  auto rotated = apply::BuildTaskSpec(td, kId, resolve);
  REQUIRE(rotated.ok());
  CHECK(rotated->Find("app")->spec.labels == app.labels);  // a rotation replaces nothing

  auto without = td;
  without.containers[0].credentials_parameter.clear();
  auto plain = apply::BuildTaskSpec(without, kId, resolve);
  REQUIRE(plain.ok());
  CHECK(plain->Find("app")->spec.labels == app.labels);
  const std::string form = model::TaskDefinitionNormalForm(td).dump();
  CHECK(form == model::TaskDefinitionNormalForm(without).dump());

  value = "hunter2";
  auto bad = apply::BuildTaskSpec(td, kId, resolve);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        std::string("repositoryCredentials of container app: ") + kMalformed);
  auto none = apply::PullCredentialsFor(td.containers[0], apply::NoSecrets);
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message().find("repositoryCredentials of container app: no secret was "
                                     "resolved") == 0);
}

}  // namespace
}  // namespace stowage::secrets
