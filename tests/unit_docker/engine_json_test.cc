// The pure Engine API mapping (no engine): create bodies, list/inspect/event
// parsing, health and exit codes from status text, image references, registry
// credentials and endpoint resolution.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/docker/docker_runtime.h"
#include "runtime/docker/endpoint.h"
#include "runtime/docker/engine_json.h"
#include "support/test_engines.h"

namespace stowage::runtime::docker {
namespace {

using nlohmann::json;

TEST_CASE("a minimal spec maps to a minimal create body", "[docker-json]") {
  ContainerSpec s;
  s.name = "web.app.t1";
  s.image = "nginx:1.25";
  s.labels = {{"io.stowage.cluster", "prod"}};
  CHECK(CreateBody(s) == json::parse(R"({
    "Image": "nginx:1.25", "Env": [], "Labels": {"io.stowage.cluster": "prod"},
    "HostConfig": {"PortBindings": {}, "ReadonlyRootfs": false, "Privileged": false,
                   "NetworkMode": "bridge",
                   "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0}}})"));
}

TEST_CASE("ports, resources, mounts and health map to engine fields", "[docker-json]") {
  ContainerSpec s;
  s.image = "x";
  s.ports = {{80, 0, "tcp"}, {53, 5353, "udp"}};
  s.cpu_shares = 256;
  s.memory_bytes = 512LL << 20;
  s.memory_reservation_bytes = 256LL << 20;
  s.mounts = {{Mount::Type::kBind, "/srv", "/data", true, 0, {}},
              {Mount::Type::kTmpfs, "", "/run", false, 65536, {"noexec", "nosuid"}}};
  s.healthcheck =
      HealthConfig{{"CMD-SHELL", "curl -f localhost"}, 30'000'000'000, 5'000'000'000, 0, 3};
  s.stop_timeout_seconds = 12;
  s.init = false;
  json b = CreateBody(s);
  CHECK(b["ExposedPorts"] == json::parse(R"({"80/tcp": {}, "53/udp": {}})"));
  CHECK(b["HostConfig"]["PortBindings"] == json::parse(R"({
    "80/tcp": [{"HostIp": "", "HostPort": ""}],
    "53/udp": [{"HostIp": "", "HostPort": "5353"}]})"));
  CHECK(b["HostConfig"]["CpuShares"] == 256);
  CHECK(b["HostConfig"]["Memory"] == 536870912);
  CHECK(b["HostConfig"]["MemoryReservation"] == 268435456);
  CHECK(
      b["HostConfig"]["Mounts"] ==
      json::parse(R"([{"Type": "bind", "Source": "/srv", "Target": "/data", "ReadOnly": true}])"));
  CHECK(b["HostConfig"]["Tmpfs"] == json::parse(R"({"/run": "noexec,nosuid,size=65536"})"));
  CHECK(b["HostConfig"]["Init"] == false);
  CHECK(b["Healthcheck"] == json::parse(R"({"Test": ["CMD-SHELL", "curl -f localhost"],
    "Interval": 30000000000, "Timeout": 5000000000, "StartPeriod": 0, "Retries": 3})"));
  CHECK(b["StopTimeout"] == 12);
}

TEST_CASE("label filters", "[docker-json]") {
  CHECK(LabelFilters({{"io.stowage.cluster", "prod"}, {"io.stowage.task", ""}}) ==
        R"({"label":["io.stowage.cluster=prod","io.stowage.task"]})");
  CHECK(LabelFilters({{"a", "b"}}, "container") == R"({"label":["a=b"],"type":["container"]})");
}

TEST_CASE("health and exit code come from a list entry's status text", "[docker-json]") {
  CHECK(ParseHealthFromStatus("Up 3 seconds (healthy)") == Health::kHealthy);
  CHECK(ParseHealthFromStatus("Up 3 minutes (unhealthy)") == Health::kUnhealthy);
  CHECK(ParseHealthFromStatus("Up 1 second (health: starting)") == Health::kStarting);
  CHECK(ParseHealthFromStatus("Up 2 hours") == Health::kNone);
  CHECK(ParseExitCodeFromStatus("Exited (137) 5 seconds ago") == 137);
  CHECK(ParseExitCodeFromStatus("Exited (0) About a minute ago") == 0);
  CHECK_FALSE(ParseExitCodeFromStatus("Up 2 hours").has_value());
  CHECK_FALSE(ParseExitCodeFromStatus("Created").has_value());
}

TEST_CASE("a container list parses into summaries", "[docker-json]") {
  auto l = ParseList(R"J([{
    "Id": "abc", "Names": ["/web.app.t1"], "Image": "nginx", "State": "exited",
    "Status": "Exited (2) 3 seconds ago", "Created": 1700000000,
    "Labels": {"io.stowage.cluster": "prod"},
    "Ports": [{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 32768, "Type": "tcp"},
              {"IP": "::", "PrivatePort": 80, "PublicPort": 32768, "Type": "tcp"},
              {"PrivatePort": 443, "Type": "tcp"}]},
    {"Id": "def", "Names": ["/db"], "Image": "pg", "State": "running",
     "Status": "Up 1 minute (healthy)", "Created": 1, "Labels": {}, "Ports": []}])J");
  REQUIRE(l.ok());
  REQUIRE(l->size() == 2);
  const auto& a = (*l)[0];
  CHECK(a.id == "abc");
  CHECK(a.name == "web.app.t1");
  CHECK(a.state == ContainerState::kExited);
  CHECK(a.exit_code == 2);
  CHECK(a.health == Health::kNone);
  CHECK(a.created == 1700000000);
  CHECK(a.labels == Labels{{"io.stowage.cluster", "prod"}});
  REQUIRE(a.ports.size() == 2);
  CHECK(a.ports[0].container_port == 80);
  CHECK(a.ports[0].host_port == 32768);
  CHECK(a.ports[1].container_port == 443);
  CHECK(a.ports[1].host_port == 0);
  CHECK((*l)[1].state == ContainerState::kRunning);
  CHECK((*l)[1].health == Health::kHealthy);
  CHECK_FALSE((*l)[1].exit_code.has_value());
  auto bad = ParseList("{\"message\": \"oops\"}");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "container list: expected a JSON array");
}

// ParseList reads the list without a DOM when it has the engine's shapes;
// ParseListEntry goes through the DOM. Both must agree on every body.
void CheckListAgreesWithDom(const std::string& body) {
  INFO(body);
  auto fast = ParseList(body);
  json dom = json::parse(body);
  REQUIRE(fast.ok());
  REQUIRE(fast->size() == dom.size());
  for (std::size_t i = 0; i < dom.size(); ++i) {
    auto slow = ParseListEntry(dom[i]);
    REQUIRE(slow.ok());
    const ContainerSummary& a = (*fast)[i];
    CHECK(a.id == slow->id);
    CHECK(a.name == slow->name);
    CHECK(a.image == slow->image);
    CHECK(a.state == slow->state);
    CHECK(a.health == slow->health);
    CHECK(a.exit_code == slow->exit_code);
    CHECK(a.labels == slow->labels);
    CHECK(a.created == slow->created);
    REQUIRE(a.ports.size() == slow->ports.size());
    for (std::size_t p = 0; p < a.ports.size(); ++p) {
      CHECK(a.ports[p].container_port == slow->ports[p].container_port);
      CHECK(a.ports[p].host_port == slow->ports[p].host_port);
      CHECK(a.ports[p].protocol == slow->ports[p].protocol);
    }
  }
}

TEST_CASE("a container list decodes the same with and without a DOM", "[docker-json]") {
  // What an engine sends, members stowage does not read included.
  CheckListAgreesWithDom(R"J([{"Id": "abc", "Names": ["/web.app.t1", "/other"],
    "Image": "nginx", "ImageID": "sha256:1", "Command": "nginx -g", "Created": 1700000000,
    "Ports": [{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 32768, "Type": "tcp"},
              {"IP": "::", "PrivatePort": 80, "PublicPort": 32768, "Type": "tcp"},
              {"PrivatePort": 53, "Type": "udp"}],
    "Labels": {"b": "2", "a": "1", "io.stowage.task": "t1"}, "State": "running",
    "Status": "Up 3 minutes (unhealthy)", "HostConfig": {"NetworkMode": "bridge"},
    "NetworkSettings": {"Networks": {"bridge": {"IPAMConfig": null, "Links": null,
      "Aliases": [], "IPPrefixLen": 16, "Float": 1.5, "On": true}}},
    "Mounts": [{"Type": "volume", "RW": true}], "SizeRw": null},
   {"Id": "def", "Names": ["/db"], "Image": "pg", "State": "exited",
    "Status": "Exited (137) 2 hours ago", "Created": 1, "Labels": {}, "Ports": []},
   {"State": "created", "Status": "Created"}])J");
  CheckListAgreesWithDom("[]");
  // Repeated members: the last one wins, as in the DOM.
  CheckListAgreesWithDom(R"J([{"Id": "a", "Id": "b", "Labels": {"k": "1", "k": "2"},
    "Names": ["/x"], "Names": ["/y"], "Labels": {"j": "3"}}])J");
  // Shapes the engine does not send: decoded through the DOM.
  CheckListAgreesWithDom(R"J([{"Id": 7, "Labels": null, "Names": [], "Created": 1.5,
    "Ports": [{"PrivatePort": "80", "PublicPort": 1.0, "Type": 6}]}])J");
  CheckListAgreesWithDom(R"J([{"Labels": {"k": 1, "j": "v"}, "Names": [3, "/n"]}])J");
  auto entry_not_object = ParseList("[1]");
  REQUIRE_FALSE(entry_not_object.ok());
  CHECK(entry_not_object.status().message() == "container list entry is not an object");
  auto truncated = ParseList(R"([{"Id": "abc")");
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.status().message() == "container list: expected a JSON array");
}

TEST_CASE("a volume list parses into names", "[docker-json]") {
  auto v = ParseVolumeNames(R"({"Volumes": [{"Name": "web.scratch.t1", "Driver": "local"},
    {"Name": "cache"}], "Warnings": null})");
  REQUIRE(v.ok());
  CHECK(*v == std::vector<std::string>{"web.scratch.t1", "cache"});
  auto none = ParseVolumeNames(R"({"Volumes": null, "Warnings": null})");
  REQUIRE(none.ok());
  CHECK(none->empty());
  auto bad = ParseVolumeNames("[]");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "volume list: expected a JSON object");
}

TEST_CASE("an inspect document parses into details", "[docker-json]") {
  auto d = ParseInspect(R"({"Id": "abc", "Name": "/x", "Created": "2026-11-21T19:50:29.5Z",
    "RestartCount": 0, "Config": {"Image": "busybox", "Labels": {"k": "v"}},
    "State": {"Status": "exited", "ExitCode": 1, "Error": "", "StartedAt": "2026-11-21T19:50:30Z",
              "FinishedAt": "0001-01-01T00:00:00Z", "Health": {"Status": "unhealthy"}},
    "NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "49153"},
                                             {"HostIp": "::", "HostPort": "49153"}],
                                  "53/udp": null}}})");
  REQUIRE(d.ok());
  CHECK(d->summary.name == "x");
  CHECK(d->summary.created == 1795290629);
  CHECK(d->summary.state == ContainerState::kExited);
  CHECK(d->summary.exit_code == 1);
  CHECK(d->summary.health == Health::kUnhealthy);
  CHECK(d->started_at == "2026-11-21T19:50:30Z");
  CHECK(d->finished_at.empty());
  REQUIRE(d->summary.ports.size() == 1);
  CHECK(d->summary.ports[0].host_port == 49153);
}

TEST_CASE("events parse; non-container events are skipped", "[docker-json]") {
  auto e = ParseEvent(R"({"Type": "container", "Action": "health_status: healthy",
    "Actor": {"ID": "abc", "Attributes": {"io.stowage.cluster": "prod", "name": "x"}},
    "time": 1, "timeNano": 1000000001})");
  REQUIRE(e.ok());
  REQUIRE(e->has_value());
  CHECK((*e)->container_id == "abc");
  CHECK((*e)->action == "health_status: healthy");
  CHECK((*e)->labels.at("io.stowage.cluster") == "prod");
  CHECK((*e)->time_ns == 1000000001);
  auto n = ParseEvent(R"({"Type": "network", "Action": "connect"})");
  REQUIRE(n.ok());
  CHECK_FALSE(n->has_value());
}

TEST_CASE("engine error messages", "[docker-json]") {
  CHECK(EngineMessage(R"({"message": "No such container: x"})") == "No such container: x");
  CHECK(EngineMessage("page not found\n") == "page not found");
}

TEST_CASE("image references", "[docker-json]") {
  auto a = ParseImageRef("nginx");
  CHECK(a.repository == "nginx");
  CHECK(a.tag == "latest");
  CHECK(a.registry == "docker.io");
  auto b = ParseImageRef("registry.example.com:5000/team/app:1.2");
  CHECK(b.repository == "registry.example.com:5000/team/app");
  CHECK(b.tag == "1.2");
  CHECK(b.registry == "registry.example.com:5000");
  auto c = ParseImageRef("team/app@sha256:abcd");
  CHECK(c.repository == "team/app");
  CHECK(c.tag.empty());
  CHECK(c.digest == "sha256:abcd");
  CHECK(c.registry == "docker.io");
  CHECK(ParseImageRef("localhost/app").registry == "localhost");
}

TEST_CASE("registry credentials become X-Registry-Auth", "[docker-json]") {
  std::string config = R"({"auths": {
    "registry.example.com": {"auth": ")" +
                       Base64Encode("alice:s3cret", false) + R"("},
    "https://index.docker.io/v1/": {"auth": ")" +
                       Base64Encode("bob:pw", false) + R"("}}})";
  auto h = RegistryAuthHeader(config, "registry.example.com");
  REQUIRE(h.has_value());
  auto decoded = Base64Decode(*h);
  REQUIRE(decoded.has_value());
  CHECK(
      json::parse(*decoded) ==
      json::parse(
          R"({"username": "alice", "password": "s3cret", "serveraddress": "registry.example.com"})"));
  auto hub = RegistryAuthHeader(config, "docker.io");
  REQUIRE(hub.has_value());
  CHECK(json::parse(*Base64Decode(*hub))["username"] == "bob");
  CHECK_FALSE(RegistryAuthHeader(config, "other.io").has_value());
  CHECK_FALSE(RegistryAuthHeader("not json", "docker.io").has_value());
  CHECK(Base64Encode("ab", false) == "YWI=");
  CHECK(Base64Encode("abc", false) == "YWJj");
  CHECK(Base64Encode("a", false) == "YQ==");
}

std::optional<std::string> FakeEnv(const char* name) {
  std::string n = name;
  if (n == "DOCKER_HOST") return "tcp://10.0.0.5:2376";
  if (n == "DOCKER_CERT_PATH") return "/certs";
  if (n == "DOCKER_TLS_VERIFY") return "1";
  return std::nullopt;
}
std::optional<std::string> NoEnv(const char*) { return std::nullopt; }

TEST_CASE("endpoints resolve, default following DOCKER_HOST", "[docker-json]") {
  auto u = ResolveEndpoint("unix:///run/docker.sock", std::nullopt, NoEnv);
  REQUIRE(u.ok());
  CHECK(u->unix_socket == "/run/docker.sock");
  CHECK(u->base_url == "http://localhost");
  auto t = ResolveEndpoint("tcp://h:2375", std::nullopt, NoEnv);
  REQUIRE(t.ok());
  CHECK(t->base_url == "http://h:2375");
  auto s = ResolveEndpoint("tcp://h:2376", stowage::testing::TestTls("ca", "c", "k"), NoEnv);
  REQUIRE(s.ok());
  CHECK(s->base_url == "https://h:2376");
  auto d = ResolveEndpoint("default", std::nullopt, NoEnv);
  REQUIRE(d.ok());
  CHECK(d->unix_socket == "/var/run/docker.sock");
  auto e = ResolveEndpoint("default", std::nullopt, FakeEnv);
  REQUIRE(e.ok());
  CHECK(e->base_url == "https://10.0.0.5:2376");
  REQUIRE(e->tls.has_value());
  CHECK(e->tls->ca == "/certs/ca.pem");
  CHECK(e->tls->cert == "/certs/cert.pem");
  CHECK(e->tls->key == "/certs/key.pem");
  CHECK(e->verify_peer);
  auto bad = ResolveEndpoint("ftp://x", std::nullopt, NoEnv);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        "endpoint ftp://x: expected unix://PATH, tcp://HOST:PORT, ssh://HOST or default");
}

TEST_CASE("API versions compare numerically", "[docker-json]") {
  CHECK(CompareApiVersions("1.41", "1.9") > 0);
  CHECK(CompareApiVersions("1.41", "1.41") == 0);
  CHECK(CompareApiVersions("1.40", "1.41") < 0);
}

}  // namespace
}  // namespace stowage::runtime::docker
