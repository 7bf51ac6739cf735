#include <catch2/catch.hpp>

#include "model/cluster.h"
#include "model/load_balancer.h"

namespace stowage::model {

TEST_CASE("a binding names its target group by ARN part, name or loadBalancerName",
          "[model][traffic]") {
  LoadBalancerBinding b;
  b.target_group_arn =
      "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";
  CHECK(b.TargetGroupName() == "web-tg");
  b.target_group_arn = "web-tg";
  CHECK(b.TargetGroupName() == "web-tg");
  b.target_group_arn.clear();
  b.load_balancer_name = "classic";
  CHECK(b.TargetGroupName() == "classic");
}

TEST_CASE("a host's address defaults to its endpoint's host", "[model][traffic]") {
  Host h;
  h.endpoint = "tcp://10.0.0.6:2376";
  CHECK(HostAddress(h) == "10.0.0.6");
  h.endpoint = "ssh://deploy@10.0.0.7:2222";
  CHECK(HostAddress(h) == "10.0.0.7");
  h.endpoint = "ssh://[fd00::7]";
  CHECK(HostAddress(h) == "fd00::7");
  h.endpoint = "unix:///var/run/docker.sock";
  CHECK(HostAddress(h) == "127.0.0.1");
  h.endpoint = "default";
  CHECK(HostAddress(h) == "127.0.0.1");
  h.address = "192.0.2.10";
  CHECK(HostAddress(h) == "192.0.2.10");
}

TEST_CASE("runtimeApi takes unix://, tcp:// and ssh:// with a socket path", "[model][traffic]") {
  auto unix_api = ParseRuntimeApi("unix:///run/haproxy/admin.sock");
  REQUIRE(unix_api.ok());
  CHECK(unix_api->kind == RuntimeApiAddress::Kind::kUnix);
  CHECK(unix_api->path == "/run/haproxy/admin.sock");
  auto tcp_api = ParseRuntimeApi("tcp://127.0.0.1:9999");
  REQUIRE(tcp_api.ok());
  CHECK(tcp_api->host == "127.0.0.1");
  CHECK(tcp_api->port == 9999);
  CHECK(ParseRuntimeApi("default").status().message() ==
        "expected unix:///PATH, tcp://HOST:PORT or ssh://[USER@]HOST/PATH, got \"default\"");
  auto ssh_api = ParseRuntimeApi("ssh://deploy@10.0.0.7:2222/run/haproxy/admin.sock");
  REQUIRE(ssh_api.ok());
  CHECK(ssh_api->kind == RuntimeApiAddress::Kind::kSsh);
  CHECK(ssh_api->user == "deploy");
  CHECK(ssh_api->host == "10.0.0.7");
  CHECK(ssh_api->port == 2222);
  CHECK(ssh_api->path == "/run/haproxy/admin.sock");
  CHECK(ParseRuntimeApi("ssh://deploy@10.0.0.7").status().message() ==
        "an ssh:// runtimeApi names the socket on the host: ssh://[USER@]HOST[:PORT]/PATH, got "
        "\"ssh://deploy@10.0.0.7\"");
  CHECK_FALSE(ParseRuntimeApi("ssh://-oProxyCommand=id/x.sock").ok());
  CHECK(ParseRuntimeApi("tcp://127.0.0.1").status().message() ==
        "expected tcp://HOST:PORT, got \"tcp://127.0.0.1\" (no port)");
}

TEST_CASE("an ssh:// runtimeApi is reached through the host with that ssh endpoint",
          "[model][traffic]") {
  Cluster cluster;
  cluster.hosts.resize(3);
  cluster.hosts[0].name = "h1";
  cluster.hosts[0].endpoint = "ssh://deploy@10.0.0.7";
  cluster.hosts[1].name = "h2";
  cluster.hosts[1].endpoint = "ssh://deploy@10.0.0.8:2222/run/docker.sock";
  cluster.hosts[2].name = "h3";
  cluster.hosts[2].endpoint = "tcp://10.0.0.9:2376";
  auto host = [&](const std::string& api) -> std::string {
    auto parsed = ParseRuntimeApi(api);
    REQUIRE(parsed.ok());
    const Host* h = RuntimeApiHost(cluster, *parsed);
    return h == nullptr ? "none" : h->name;
  };
  CHECK(host("ssh://deploy@10.0.0.7/run/haproxy/admin.sock") == "h1");
  CHECK(host("ssh://deploy@10.0.0.8:2222/run/haproxy/admin.sock") == "h2");
  CHECK(host("ssh://deploy@10.0.0.8/run/haproxy/admin.sock") == "none");  // port differs
  CHECK(host("ssh://root@10.0.0.7/run/haproxy/admin.sock") == "none");    // user differs
  CHECK(host("ssh://10.0.0.9/run/haproxy/admin.sock") == "none");         // not ssh
  CHECK(host("unix:///run/haproxy/admin.sock") == "none");
}

}  // namespace stowage::model
