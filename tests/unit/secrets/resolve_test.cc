// ResolveSecrets: errors at the valueFrom, revisions that follow the values
// under a keyed digest, values only through the resolver.
#include "secrets/resolve.h"

#include <catch2/catch.hpp>
#include <map>

#include "model/revision.h"

namespace stowage::secrets {
namespace {

// A store over a map; the fingerprint key is fixed per test.
class MapStore : public SecretStore {
 public:
  std::map<std::string, std::string> values;
  std::string key = "k1";
  int lookups = 0;

  Result<Secret> Lookup(std::string_view value_from, std::string_view field) override {
    ++lookups;
    auto it = values.find(std::string(value_from));
    if (it == values.end()) {
      return Status::NotFound(std::string(field) + " \"" + std::string(value_from) +
                              "\": not found");
    }
    return Secret{crypto::SecretString(it->second)};
  }
  Result<crypto::Key32> FingerprintKey(std::string_view cluster) override {
    if (key.empty()) return Status::Invalid("no fingerprint key");
    return crypto::HkdfSha256(key, "", cluster);
  }
};

model::DesiredState State() {
  model::DesiredState s;
  s.cluster.name = "prod";
  model::TaskDefinition web;
  web.family = "web";
  model::ContainerDefinition app;
  app.name = "app";
  app.image = "stowage/busybox:1";
  app.secrets = {{"DB_PASSWORD", "prod/db", {"web.yaml", 7, 20}},
                 {"API_KEY", "api", {"web.yaml", 9, 20}}};
  web.containers = {app};
  model::TaskDefinition plain;
  plain.family = "plain";
  plain.containers = {app};
  plain.containers[0].secrets.clear();
  s.task_definitions = {plain, web};
  for (auto& td : s.task_definitions) td.revision = model::ComputeRevision(td);
  return s;
}

std::string Revision(MapStore& store, const std::string& family = "web") {
  auto s = State();
  Diagnostics diags;
  ResolveSecrets(s, store, diags);
  REQUIRE_FALSE(diags.HasErrors());
  return s.FindTaskDefinition(family)->revision;
}

TEST_CASE("resolve: every value once, served to the container spec", "[secrets]") {
  MapStore store;
  store.values = {{"prod/db", "pw"}, {"api", "key-1"}};
  auto s = State();
  s.task_definitions.push_back(s.task_definitions[1]);
  s.task_definitions.back().family = "web2";
  Diagnostics diags;
  auto resolved = ResolveSecrets(s, store, diags);
  CHECK_FALSE(diags.HasErrors());
  CHECK(store.lookups == 2);
  CHECK(resolved.size() == 2);
  auto resolver = resolved.Resolver();
  CHECK(*resolver("prod/db") == "pw");
  CHECK(resolver("other").status().message() == "valueFrom \"other\" was not resolved");
}

TEST_CASE("resolve: one that does not resolve is an error at its valueFrom", "[secrets]") {
  MapStore store;
  store.values = {{"prod/db", "pw"}};
  auto s = State();
  const std::string before = s.FindTaskDefinition("web")->revision;
  Diagnostics diags;
  ResolveSecrets(s, store, diags);
  REQUIRE(diags.errors() == 1);
  CHECK(FormatDiagnostic(diags.items()[0]) ==
        "web.yaml:9:20: error: secret API_KEY of container app: valueFrom \"api\": not found");
  CHECK(s.FindTaskDefinition("web")->revision == before);
}

TEST_CASE("resolve: a changed value changes the revision, only of its family", "[secrets]") {
  MapStore store;
  store.values = {{"prod/db", "pw"}, {"api", "key-1"}};
  const std::string first = Revision(store);
  const std::string plain = Revision(store, "plain");
  CHECK(first != model::ComputeRevision(*State().FindTaskDefinition("web")));
  CHECK(plain == model::ComputeRevision(*State().FindTaskDefinition("plain")));
  CHECK(Revision(store) == first);  // stable for the same values
  CHECK(first.size() == 16);
  store.values["prod/db"] = "pw2";
  CHECK(Revision(store) != first);
  CHECK(Revision(store, "plain") == plain);
}

TEST_CASE("resolve: the digest is keyed: the same values under another key differ", "[secrets]") {
  MapStore store;
  store.values = {{"prod/db", "pw"}, {"api", "key-1"}};
  const std::string k1 = Revision(store);
  store.key = "k2";
  CHECK(Revision(store) != k1);
}

TEST_CASE("resolve: no fingerprint key is an error, without secrets none is needed", "[secrets]") {
  MapStore store;
  store.values = {{"prod/db", "pw"}, {"api", "key-1"}};
  store.key = "";
  auto s = State();
  Diagnostics diags;
  ResolveSecrets(s, store, diags);
  REQUIRE(diags.errors() == 1);
  CHECK(FormatDiagnostic(diags.items()[0]) == "error: no fingerprint key");
  s.task_definitions.pop_back();
  Diagnostics none;
  ResolveSecrets(s, store, none);
  CHECK_FALSE(none.HasErrors());
}

TEST_CASE("references: the form is checked at validation", "[secrets]") {
  auto s = State();
  s.task_definitions[1].containers[0].secrets[0].value_from = "file:/etc/shadow";
  Diagnostics diags;
  CheckReferences(s.task_definitions[1], diags);
  REQUIRE(diags.errors() == 1);
  CHECK(FormatDiagnostic(diags.items()[0])
            .find("web.yaml:7:20: error: secret DB_PASSWORD of "
                  "container app: valueFrom \"file:/etc/shadow\": "
                  "the file: form is gone") == 0);
}

model::DesiredState PrivateState() {
  auto s = State();
  auto& c = s.task_definitions[0].containers[0];  // plain: no secrets
  c.credentials_parameter = "reg/creds";
  c.credentials_position = {"plain.yaml", 12, 30};
  return s;
}

TEST_CASE("resolve: registry credentials resolve, outside the revision", "[secrets]") {
  MapStore store;
  store.values = {{"prod/db", "pw"}, {"api", "key-1"}, {"reg/creds", "ci:hunter2"}};
  store.key = "";  // credentials alone need no fingerprint key
  auto s = PrivateState();
  s.task_definitions.pop_back();
  const std::string before = s.task_definitions[0].revision;
  Diagnostics diags;
  auto resolved = ResolveSecrets(s, store, diags);
  CHECK_FALSE(diags.HasErrors());
  CHECK(AnySecrets(s));
  CHECK(*resolved.Value("reg/creds") == "ci:hunter2");
  CHECK(s.task_definitions[0].revision == before);
  store.values["reg/creds"] = "ci:rotated";
  Diagnostics again;
  ResolveSecrets(s, store, again);
  CHECK(s.task_definitions[0].revision == before);  // a rotation rolls nothing
}

TEST_CASE("resolve: registry credentials missing or malformed, an error at the parameter",
          "[secrets]") {
  MapStore store;
  store.values = {{"prod/db", "pw"}, {"api", "key-1"}};
  auto s = PrivateState();
  Diagnostics missing;
  ResolveSecrets(s, store, missing);
  REQUIRE(missing.errors() == 1);
  CHECK(FormatDiagnostic(missing.items()[0]) ==
        "plain.yaml:12:30: error: repositoryCredentials of container app: credentialsParameter "
        "\"reg/creds\": not found");
  store.values["reg/creds"] = "hunter2";
  Diagnostics malformed;
  ResolveSecrets(s, store, malformed);
  REQUIRE(malformed.errors() == 1);
  CHECK(FormatDiagnostic(malformed.items()[0]) ==
        "plain.yaml:12:30: error: repositoryCredentials of container app: credentialsParameter "
        "\"reg/creds\": the value is not {\"username\": …, \"password\": …} nor user:password "
        "(the value is not shown)");
}

TEST_CASE("references: a credentialsParameter has the form of a valueFrom", "[secrets]") {
  auto s = PrivateState();
  s.task_definitions[0].containers[0].credentials_parameter = "/root/.docker/config.json";
  Diagnostics diags;
  CheckReferences(s.task_definitions[0], diags);
  REQUIRE(diags.errors() == 1);
  CHECK(FormatDiagnostic(diags.items()[0]) ==
        "plain.yaml:12:30: error: repositoryCredentials of container app: credentialsParameter "
        "\"/root/.docker/config.json\": a key never starts with '/' (paths on this machine are "
        "not secrets; for the SSM parameter /prod/db write prod/db)");
}

}  // namespace
}  // namespace stowage::secrets
