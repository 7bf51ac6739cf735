#include <catch2/catch.hpp>

#include "check/checks.h"
#include "check_fixtures.h"

namespace stowage::check::testing {
namespace {

model::LoadBalancer Edge() {
  model::LoadBalancer lb;
  lb.name = "edge";
  lb.runtime_api = "unix:///run/haproxy/admin.sock";
  lb.position = At("cluster.yaml", 20, 5);
  lb.name_position = At("cluster.yaml", 20, 11);
  lb.runtime_api_position = At("cluster.yaml", 22, 17);
  model::TargetGroup tg;
  tg.name = "web-tg";
  tg.backend = "web";
  tg.position = At("cluster.yaml", 24, 9);
  tg.name_position = At("cluster.yaml", 24, 15);
  tg.delay_position = At("cluster.yaml", 26, 30);
  lb.target_groups.push_back(tg);
  return lb;
}

model::LoadBalancerBinding Binding(std::string arn, std::string container, int port) {
  model::LoadBalancerBinding b;
  b.target_group_arn = std::move(arn);
  b.container_name = std::move(container);
  b.container_port = port;
  b.position = At("services/web.yaml", 12, 5);
  b.target_group_position = At("services/web.yaml", 12, 21);
  b.container_name_position = At("services/web.yaml", 13, 20);
  b.container_port_position = At("services/web.yaml", 14, 20);
  return b;
}

// web publishes 8080/tcp; the web service binds it to web-tg.
model::DesiredState Bound() {
  auto s = ValidState();
  s.task_definitions[0].containers[0].port_mappings.push_back({8080, 0, "tcp", {}});
  s.cluster.load_balancers.push_back(Edge());
  s.services[0].load_balancers_position = At("services/web.yaml", 11, 1);
  s.services[0].load_balancers.push_back(Binding(
      "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09",
      "app", 8080));
  return s;
}

}  // namespace

TEST_CASE("a service bound to a declared target group is valid", "[check][traffic]") {
  auto s = Bound();
  CHECK(Check(s).empty());
  s.services[0].load_balancers[0].target_group_arn = "web-tg";  // the plain name works too
  CHECK(Check(s).empty());
  s.services[0].load_balancers[0].target_group_arn.clear();
  s.services[0].load_balancers[0].load_balancer_name = "web-tg";
  CHECK(Check(s).empty());
}

TEST_CASE("without load balancers in the cluster, loadBalancers is ignored", "[check][traffic]") {
  auto s = Bound();
  s.cluster.load_balancers.clear();
  CHECK(Check(s) == Lines{"services/web.yaml:11:1: warning: loadBalancers is ignored (AWS only)"});
  s.services[0].load_balancers.clear();  // an empty list too, as before
  CHECK(Check(s) == Lines{"services/web.yaml:11:1: warning: loadBalancers is ignored (AWS only)"});
}

TEST_CASE("a binding names a known target group and a published tcp port", "[check][traffic]") {
  auto s = Bound();
  auto& b = s.services[0].load_balancers[0];
  b.target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web-gt/1";
  CHECK(Check(s) == Lines{"services/web.yaml:12:21: error: loadBalancers[0].targetGroupArn: no "
                          "target group \"web-gt\" among the cluster file's loadBalancers (did "
                          "you mean \"web-tg\"?)"});
  b.target_group_arn = "web-tg";
  b.container_name = "ap";
  CHECK(Check(s) == Lines{"services/web.yaml:13:20: error: loadBalancers[0].containerName: task "
                          "definition \"web\" has no container \"ap\" (did you mean \"app\"?)"});
  b.container_name = "app";
  b.container_port = 80;
  CHECK(Check(s) == Lines{"services/web.yaml:14:20: error: loadBalancers[0].containerPort: "
                          "container \"app\" of task definition \"web\" publishes no port 80 (it "
                          "has 8080)"});
  s.task_definitions[0].containers[0].port_mappings.clear();
  CHECK(Check(s) == Lines{"services/web.yaml:14:20: error: loadBalancers[0].containerPort: "
                          "container \"app\" of task definition \"web\" publishes no port 80 (it "
                          "has no portMappings)"});
}

TEST_CASE("load balancers: unique names, a valid runtimeApi, a bounded delay", "[check][traffic]") {
  auto s = Bound();
  auto second = Edge();
  second.position = At("cluster.yaml", 30, 5);
  second.name_position = At("cluster.yaml", 30, 11);
  second.runtime_api = "http://127.0.0.1:9999";
  second.runtime_api_position = At("cluster.yaml", 32, 17);
  second.target_groups[0].name_position = At("cluster.yaml", 34, 15);
  second.target_groups[0].deregistration_delay = std::chrono::hours(2);
  second.target_groups[0].delay_position = At("cluster.yaml", 36, 30);
  s.cluster.load_balancers.push_back(second);
  CHECK(Check(s) ==
        Lines{"cluster.yaml:30:11: error: name: load balancer \"edge\" is already defined at line "
              "20, column 11",
              "cluster.yaml:32:17: error: runtimeApi: expected unix:///PATH, tcp://HOST:PORT or "
              "ssh://[USER@]HOST/PATH, got \"http://127.0.0.1:9999\"",
              "cluster.yaml:34:15: error: name: target group \"web-tg\" is already defined at "
              "line 24, column 15",
              "cluster.yaml:36:30: error: deregistrationDelay: at most 1h (3600s) is allowed, got "
              "7200s"});
}

TEST_CASE("an ssh:// runtimeApi names a host's ssh endpoint", "[check][traffic]") {
  auto s = Bound();
  s.cluster.hosts.front().endpoint = "ssh://deploy@10.0.0.7";
  s.cluster.load_balancers[0].runtime_api = "ssh://deploy@10.0.0.7/run/haproxy/admin.sock";
  CHECK(Check(s) == Lines{});
  s.cluster.load_balancers[0].runtime_api = "ssh://other@10.0.0.7/run/haproxy/admin.sock";
  s.cluster.load_balancers[0].runtime_api_position = At("cluster.yaml", 22, 17);
  CHECK(Check(s) == Lines{"cluster.yaml:22:17: error: runtimeApi: no host of the cluster has the "
                          "ssh endpoint of \"ssh://other@10.0.0.7/run/haproxy/admin.sock\" (a "
                          "balancer over ssh is reached through the connection of a host's "
                          "engine: same user, host and port)"});
}

}  // namespace stowage::check::testing
