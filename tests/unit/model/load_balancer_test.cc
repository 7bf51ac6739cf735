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

TEST_CASE("runtimeApi takes unix:// and tcp:// only", "[model][traffic]") {
  auto unix_api = ParseRuntimeApi("unix:///run/haproxy/admin.sock");
  REQUIRE(unix_api.ok());
  CHECK(unix_api->kind == RuntimeApiAddress::Kind::kUnix);
  CHECK(unix_api->path == "/run/haproxy/admin.sock");
  auto tcp_api = ParseRuntimeApi("tcp://127.0.0.1:9999");
  REQUIRE(tcp_api.ok());
  CHECK(tcp_api->host == "127.0.0.1");
  CHECK(tcp_api->port == 9999);
  CHECK(ParseRuntimeApi("default").status().message() ==
        "expected unix:///PATH or tcp://HOST:PORT, got \"default\"");
  CHECK(ParseRuntimeApi("tcp://127.0.0.1").status().message() ==
        "expected tcp://HOST:PORT, got \"tcp://127.0.0.1\" (no port)");
}

}  // namespace stowage::model
