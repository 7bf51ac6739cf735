#include <catch2/catch.hpp>

#include "load_test_util.h"

namespace stowage::load {

TEST_CASE("load balancers, target groups, host addresses and bindings decode",
          "[loader][traffic]") {
  auto loaded = LoadFiles({{"cluster.yaml", R"(kind: Cluster
name: c
loadBalancers:
  - name: edge
    kind: haproxy
    runtimeApi: tcp://127.0.0.1:9999
    targetGroups:
      - {name: web-tg, backend: web, deregistrationDelay: 2s, healthCheckPath: /health}
      - {name: api-tg, backend: api, deregistrationDelay: 45}
      - {name: db-tg, backend: db}
hosts:
  - {name: h1, endpoint: default, address: 10.0.0.7}
)"},
                           {"web.yaml", R"(serviceName: web
taskDefinition: web
desiredCount: 1
loadBalancers:
  - {targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web-tg/1", containerName: web, containerPort: "8080"}
)"}});
  CHECK(Lines(loaded).empty());
  const auto& c = loaded.state.cluster;
  REQUIRE(c.load_balancers.size() == 1);
  const auto& lb = c.load_balancers[0];
  CHECK(lb.name == "edge");
  CHECK(lb.runtime_api == "tcp://127.0.0.1:9999");
  REQUIRE(lb.target_groups.size() == 3);
  CHECK(lb.target_groups[0].deregistration_delay == std::chrono::seconds(2));
  CHECK(lb.target_groups[0].health_check_path == "/health");
  CHECK(lb.target_groups[1].deregistration_delay == std::chrono::seconds(45));
  CHECK(lb.target_groups[2].deregistration_delay == std::chrono::seconds(30));
  CHECK(c.hosts[0].address == "10.0.0.7");
  REQUIRE(loaded.state.services.size() == 1);
  const auto& s = loaded.state.services[0];
  REQUIRE(s.load_balancers.size() == 1);
  CHECK(s.load_balancers[0].TargetGroupName() == "web-tg");
  CHECK(s.load_balancers[0].container_port == 8080);
  CHECK(s.load_balancers[0].container_port_position.line == 5);
  REQUIRE(s.load_balancers_position);
  CHECK(s.load_balancers_position->line == 4);
  CHECK(s.load_balancers_position->column == 1);
}

TEST_CASE("a bad delay, path or backend is a schema error at its value", "[loader][traffic]") {
  auto loaded = LoadFiles({{"cluster.yaml", R"(kind: Cluster
name: c
loadBalancers:
  - name: edge
    kind: nginx
    runtimeApi: tcp://127.0.0.1:9999
    targetGroups:
      - {name: web-tg, backend: "web; del server", deregistrationDelay: soon, healthCheckPath: health}
hosts:
  - {name: h1, endpoint: default, address: "10.0.0.7; rm"}
)"}});
  CHECK(Lines(loaded) ==
        std::vector<std::string>{
            "cluster.yaml:5:11: error: loadBalancers[0].kind: expected one of \"haproxy\", got "
            "\"nginx\"",
            "cluster.yaml:8:33: error: loadBalancers[0].targetGroups[0].backend: expected an "
            "HAProxy backend name (letters, digits, '-', '_', '.' or ':'), got \"web; del "
            "server\"",
            "cluster.yaml:8:73: error: loadBalancers[0].targetGroups[0].deregistrationDelay: "
            "expected a duration like 30s, 500ms or 2m (plain numbers are seconds), got \"soon\"",
            "cluster.yaml:8:96: error: loadBalancers[0].targetGroups[0].healthCheckPath: expected "
            "an absolute URL path like /health (printable, no spaces), got \"health\"",
            "cluster.yaml:10:44: error: hosts[0].address: expected a host name or IP address "
            "where the host's published ports are reached, got \"10.0.0.7; rm\""});
}

}  // namespace stowage::load
