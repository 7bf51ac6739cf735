// allow.endpoints: patterns match what an endpoint means (parsed), not how it
// is spelled; a glob never leaves its host label or path component.
#include <catch2/catch.hpp>

#include "diag/diagnostic.h"
#include "model/desired_state.h"
#include "policy/endpoint_pattern.h"
#include "policy/policy.h"

namespace stowage::policy {
namespace {

bool Allows(const std::string& pattern, const std::string& endpoint,
            const std::string& ssh_user = "") {
  auto p = ParseEndpointPattern(pattern);
  REQUIRE(p.ok());
  auto e = model::ParseEndpoint(endpoint);
  REQUIRE(e.ok());
  return EndpointMatches(*p, *e, ssh_user);
}

std::string Error(const std::string& pattern) {
  auto p = ParseEndpointPattern(pattern);
  return p.ok() ? "ok" : p.status().message();
}

TEST_CASE("an endpoint pattern matches the parsed endpoint, not its spelling", "[policy]") {
  CHECK(Allows("tcp://10.0.0.5:2376/", "tcp://10.0.0.5:2376"));
  CHECK(Allows("TCP://Web-1.Example.:2376", "tcp://WEB-1.example:2376"));
  CHECK(Allows("tcp://web-1.example", "tcp://web-1.example:2376"));  // no port: any
  CHECK_FALSE(Allows("tcp://10.0.0.5:2376", "tcp://10.0.0.5:2375"));
  CHECK(Allows("tcp://[FD00::1]:2376", "tcp://[fd00::1]:2376"));
  CHECK(Allows("default", "default"));
  CHECK_FALSE(Allows("default", "unix:///var/run/docker.sock"));
  CHECK_FALSE(Allows("tcp://10.0.0.5:2376", "ssh://10.0.0.5:2376"));
}

TEST_CASE("ssh patterns: the user only when the pattern names one; port 22 by default",
          "[policy]") {
  CHECK(Allows("ssh://host", "ssh://deploy@host"));
  CHECK(Allows("ssh://deploy@host", "ssh://deploy@HOST"));
  CHECK_FALSE(Allows("ssh://deploy@host", "ssh://root@host"));
  CHECK(Allows("ssh://deploy@host", "ssh://host", "deploy"));             // the host's ssh.user
  CHECK_FALSE(Allows("ssh://deploy@host", "ssh://host"));                 // user unknown: refused
  CHECK_FALSE(Allows("ssh://deploy@host", "ssh://root@host", "deploy"));  // the endpoint's wins
  CHECK(Allows("ssh://host:22", "ssh://host"));
  CHECK_FALSE(Allows("ssh://host:22", "ssh://host:2222"));
  CHECK(Allows("ssh://host", "ssh://host/run/user/1000/docker.sock"));
  CHECK_FALSE(Allows("ssh://host/var/run/docker.sock", "ssh://host/tmp/evil.sock"));
}

TEST_CASE("a glob stays inside one host label or path component", "[policy]") {
  CHECK(Allows("tcp://10.0.0.*:2376", "tcp://10.0.0.5:2376"));
  // A DNS name the committer controls that starts like an allowed address.
  CHECK_FALSE(Allows("tcp://10.0.0.*:2376", "tcp://10.0.0.1.attacker.example:2376"));
  CHECK_FALSE(Allows("ssh://deploy@10.0.*", "ssh://deploy@10.0.7.attacker.example"));
  CHECK(Allows("ssh://deploy@10.0.*.*", "ssh://deploy@10.0.0.7"));
  CHECK(Allows("tcp://*.corp.example:2376", "tcp://web-1.corp.example:2376"));
  CHECK_FALSE(Allows("tcp://*.corp.example:2376", "tcp://corp.example.evil.io:2376"));
  CHECK(Allows("tcp://*:2376", "tcp://any.host.at.all:2376"));  // "*" alone: any host
  CHECK(Allows("tcp://10.0.0.5:23*", "tcp://10.0.0.5:2376"));
  CHECK(Allows("unix:///var/run/*.sock", "unix:///var/run/docker.sock"));
  CHECK_FALSE(Allows("unix:///var/run/*.sock", "unix:///var/run/x/evil.sock"));
  CHECK_FALSE(Allows("unix:///var/run/*/*.sock", "unix:///var/run/x/../../../tmp/evil.sock"));
  CHECK(Allows("unix:///var/run/docker.sock", "unix:///var/run//./docker.sock"));
}

TEST_CASE("an endpoint pattern that is not one is an error", "[policy]") {
  const std::string expected =
      "expected default, unix:///PATH, tcp://HOST[:PORT] or ssh://[USER@]HOST[:PORT][/PATH] "
      "(globs * and ? allowed), got ";
  CHECK(Error("10.0.0.5:2376") == expected + "\"10.0.0.5:2376\"");
  CHECK(Error("http://x:1") == expected + "\"http://x:1\"");
  CHECK(Error("tcp://h:2376/v1.43") ==
        expected + "\"tcp://h:2376/v1.43\" (a tcp:// endpoint has no path)");
  CHECK(Error("tcp://me@h:2376") ==
        expected + "\"tcp://me@h:2376\" (a tcp:// endpoint has no user)");
  CHECK(Error("tcp://h:ab") == expected + "\"tcp://h:ab\" (a port is digits)");
  CHECK(Error("unix://run/docker.sock") ==
        expected + "\"unix://run/docker.sock\" (the path must be absolute)");
  CHECK(Error("ssh://\x1b[31m@") == expected + "\"ssh://\\x1b[31m@\" (no host)");
  auto p = ParsePolicy("p.yaml", "allow:\n  endpoints: [default, \"tcp://h:2376/v1.43\"]\n");
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().message() ==
        "invalid policy p.yaml\np.yaml:2:24: error: allow.endpoints: " + expected +
            "\"tcp://h:2376/v1.43\" (a tcp:// endpoint has no path)");
}

TEST_CASE("the policy refuses a host whose parsed endpoint no pattern allows", "[policy]") {
  auto p = ParsePolicy("p.yaml", "allow:\n  endpoints: [\"tcp://10.0.0.*:2376/\"]\n");
  REQUIRE(p.ok());
  model::DesiredState state;
  model::Host ok, evil;
  ok.endpoint = "tcp://10.0.0.5:2376";
  evil.endpoint = "tcp://10.0.0.1.attacker.example:2376";
  evil.endpoint_position = Position{"cluster.yaml", 9, 15};
  state.cluster.hosts = {ok, evil};
  Diagnostics diags;
  CheckPolicy(state, *p, diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(FormatDiagnostic(diags.items()[0]) ==
        "cluster.yaml:9:15: error: endpoint: \"tcp://10.0.0.1.attacker.example:2376\" not "
        "allowed by policy baseline (p.yaml); add a pattern for it to allow.endpoints");
}

}  // namespace
}  // namespace stowage::policy
