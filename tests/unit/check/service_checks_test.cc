#include <catch2/catch.hpp>

#include "check/checks.h"
#include "check_fixtures.h"
#include "model/deployment.h"

namespace stowage::check::testing {

using model::SchedulingStrategy;

TEST_CASE("a service's taskDefinition must resolve", "[check]") {
  auto s = ValidState();
  s.services[0].task_definition = "wbe";
  s.services[1].task_definition = "nothing-like-it";
  CHECK(Check(s) == Lines{"services/web.yaml:2:17: error: taskDefinition: no task definition has "
                          "family \"wbe\" (did you mean \"web\"?)",
                          "services/worker.yaml:2:17: error: taskDefinition: no task definition "
                          "has family \"nothing-like-it\""});
  s.services[0].task_definition = "web";
  s.services[0].task_revision = 7;  // family:revision resolves by family
  CHECK(Check(s).size() == 1);
}

TEST_CASE("duplicate service names", "[check]") {
  auto s = ValidState();
  auto dup = Svc("web", "worker");
  for (auto* p : {&dup.position, &dup.name_position, &dup.task_definition_position})
    p->file = "services/web2.yaml";
  s.services.push_back(dup);
  CHECK(Check(s) == Lines{"services/web2.yaml:1:14: error: serviceName: \"web\" is already "
                          "defined at services/web.yaml:1:14"});
}

model::PlacementStrategy Strategy(const std::string& type, const std::string& field, int line) {
  return {type, field, At("services/web.yaml", line, 7)};
}

TEST_CASE("DAEMON services take no desiredCount and no placementStrategy", "[check]") {
  auto s = ValidState();
  auto& svc = s.services[0];
  svc.scheduling_strategy = SchedulingStrategy::kDaemon;
  svc.placement_strategy = {Strategy("spread", "host", 8)};
  CHECK(Check(s) == Lines{"services/web.yaml:3:15: error: desiredCount: not allowed for a DAEMON "
                          "service (it runs one task on every host)",
                          "services/web.yaml:7:3: error: placementStrategy: not allowed for a "
                          "DAEMON service"});
  svc.desired_count_position.reset();
  svc.placement_strategy.clear();
  CHECK(Check(s).empty());
}

TEST_CASE("at most 5 placement strategies, each with a field that fits", "[check]") {
  auto s = ValidState();
  auto& svc = s.services[0];
  svc.placement_strategy.assign(6, Strategy("random", "", 8));
  CHECK(Check(s) == Lines{"services/web.yaml:7:3: error: placementStrategy: 6 strategies, at "
                          "most 5 are allowed"});
  svc.placement_strategy = {
      Strategy("binpack", "zone", 8),    Strategy("spread", "attribute:", 9),
      Strategy("random", "host", 10),    Strategy("spread", "attribute:zone", 11),
      Strategy("binpack", "memory", 12),
  };
  CHECK(Check(s) == Lines{"services/web.yaml:8:7: error: field: binpack takes cpu or memory, got "
                          "\"zone\"",
                          "services/web.yaml:9:7: error: field: spread takes host, instanceId or "
                          "attribute:NAME, got \"attribute:\"",
                          "services/web.yaml:10:7: error: field: random takes no field, got "
                          "\"host\""});
}

TEST_CASE("at most 10 constraints, counting the task definition's", "[check]") {
  auto s = ValidState();
  model::PlacementConstraint c{"memberOf", "attribute:zone == a", {}};
  s.services[0].placement_constraints.assign(11, c);
  CHECK(Check(s) == Lines{"services/web.yaml:9:3: error: placementConstraints: 11 constraints, "
                          "at most 10 are allowed"});
  s.services[0].placement_constraints.assign(7, c);
  s.task_definitions[0].placement_constraints.assign(4, c);
  CHECK(Check(s) == Lines{"services/web.yaml:9:3: error: placementConstraints: 7 here and 4 in "
                          "task definition \"web\" make 11, at most 10 are allowed"});
  s.task_definitions[0].placement_constraints.assign(3, c);
  CHECK(Check(s).empty());
}

TEST_CASE("distinctInstance takes no expression", "[check]") {
  auto s = ValidState();
  s.services[0].placement_constraints = {
      {"distinctInstance", "attribute:zone == a", At("services/web.yaml", 10, 7)}};
  CHECK(Check(s) ==
        Lines{"services/web.yaml:10:7: error: expression: distinctInstance takes no expression"});
}

TEST_CASE("deployment bounds follow the design", "[check]") {
  model::DeploymentConfiguration c;
  c.minimum_healthy_percent = 75;
  c.maximum_percent = 100;
  auto b = model::ComputeDeploymentBounds(c, 2);
  CHECK(b.min_healthy == 2);  // ceil(1.5)
  CHECK(b.max_running == 2);
  CHECK_FALSE(b.CanProgress(2));
  b = model::ComputeDeploymentBounds(c, 4);
  CHECK(b.min_healthy == 3);
  CHECK(b.max_running == 4);
  CHECK(b.CanProgress(4));
  c.maximum_percent = 150;
  b = model::ComputeDeploymentBounds(c, 3);  // ceil(2.25) = 3, floor(4.5) = 4
  CHECK(b.min_healthy == 3);
  CHECK(b.max_running == 4);
  CHECK(model::ComputeDeploymentBounds(c, 0).CanProgress(0));
}

TEST_CASE("deployment settings that can never progress are errors", "[check]") {
  auto s = ValidState();
  auto& d = s.services[0].deployment_configuration;
  d.minimum_healthy_percent = 75;
  d.maximum_percent = 100;
  CHECK(Check(s) == Lines{"services/web.yaml:4:3: error: deploymentConfiguration: a deployment "
                          "can never make progress: minimumHealthyPercent 75 keeps 2 of 2 tasks "
                          "running and maximumPercent 100 allows at most 2; raise maximumPercent "
                          "or lower minimumHealthyPercent"});
  s.services[0].desired_count = 4;  // keeps 3 of 4: one at a time
  CHECK(Check(s).empty());
  s.services[0].desired_count = 0;  // nothing to deploy
  CHECK(Check(s).empty());
}

TEST_CASE("a DAEMON deployment counts one task per host", "[check]") {
  auto s = ValidState();
  auto& svc = s.services[0];
  svc.scheduling_strategy = SchedulingStrategy::kDaemon;
  svc.desired_count_position.reset();
  svc.deployment_configuration.minimum_healthy_percent = 100;
  svc.deployment_configuration.maximum_percent = 100;
  CHECK(Check(s) == Lines{"services/web.yaml:4:3: error: deploymentConfiguration: a deployment "
                          "can never make progress: minimumHealthyPercent 100 keeps 3 of 3 (one "
                          "per host) tasks running and maximumPercent 100 allows at most 3; raise "
                          "maximumPercent or lower minimumHealthyPercent"});
  svc.deployment_configuration.minimum_healthy_percent = 50;
  CHECK(Check(s).empty());
}

}  // namespace stowage::check::testing

namespace stowage::check::testing {

TEST_CASE("memberOf expressions must parse", "[check]") {
  auto s = ValidState();
  s.services[0].placement_constraints = {
      {"memberOf", "attribute:zone in [a, b] and not(task:group == db)",
       At("services/web.yaml", 10, 19)},
      {"memberOf", "attribute:zone", At("services/web.yaml", 12, 19)}};
  s.task_definitions[1].placement_constraints = {
      {"memberOf", "attribute:class == (", At("tasks/worker.yaml", 30, 19)}};
  CHECK(Check(s) == Lines{"services/web.yaml:12:19: error: expression: expected an operator "
                          "after \"attribute:zone\" at column 15 of \"attribute:zone\"",
                          "tasks/worker.yaml:30:19: error: expression: expected a value after "
                          "\"==\" at column 20 of \"attribute:class == (\""});
}

}  // namespace stowage::check::testing
