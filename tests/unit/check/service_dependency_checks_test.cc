// dependsOn between services: names, duplicates, cycles, conditions that can hold.
#include <catch2/catch.hpp>

#include "check_fixtures.h"

namespace stowage::check::testing {
namespace {

using model::ServiceCondition;

// Entry `line` of services/NAME.yaml: "  - {service: x, condition: Y}".
model::ServiceDependency On(const std::string& in, const std::string& target,
                            ServiceCondition condition, int line, bool task = false) {
  model::ServiceDependency d;
  (task ? d.task_family : d.service) = target;
  d.condition = condition;
  const std::string file = "services/" + in + ".yaml";
  d.position = At(file, line, 5);
  d.target_position = At(file, line, task ? 22 : 15);
  d.condition_position = At(file, line, 30);
  return d;
}

// web -> api -> db, each a REPLICA service of its own family, plus worker.
model::DesiredState Tiers() {
  auto s = ValidState();
  s.task_definitions = {TaskDef("api"), TaskDef("db"), TaskDef("migrate"), TaskDef("web"),
                        TaskDef("worker")};
  s.services = {Svc("api", "api"), Svc("db", "db"), Svc("web", "web"), Svc("worker", "worker")};
  s.services[0].depends_on = {On("api", "db", ServiceCondition::kHealthy, 5),
                              On("api", "migrate", ServiceCondition::kSuccess, 6, true)};
  s.services[2].depends_on = {On("web", "api", ServiceCondition::kStarted, 5)};
  return s;
}

}  // namespace

TEST_CASE("a valid dependency graph passes", "[check][depends]") { CHECK(Check(Tiers()).empty()); }

TEST_CASE("dependsOn names a service and a task family of the source", "[check][depends]") {
  auto s = Tiers();
  s.services[0].depends_on[0].service = "dbb";
  s.services[0].depends_on[1].task_family = "migarte";
  s.services[2].depends_on[0].service = "web";
  CHECK(Check(s) == Lines{"services/api.yaml:5:15: error: dependsOn: no service is named \"dbb\" "
                          "(did you mean \"db\"?)",
                          "services/api.yaml:6:22: error: dependsOn: no task definition has "
                          "family \"migarte\" (did you mean \"migrate\"?)",
                          "services/web.yaml:5:15: error: dependsOn: service \"web\" cannot "
                          "depend on itself"});
}

TEST_CASE("dependsOn lists a name once", "[check][depends]") {
  auto s = Tiers();
  s.services[2].depends_on.push_back(On("web", "api", ServiceCondition::kHealthy, 7));
  s.services[0].depends_on.push_back(On("api", "migrate", ServiceCondition::kComplete, 8, true));
  CHECK(Check(s) == Lines{"services/api.yaml:8:22: error: dependsOn: task definition \"migrate\" "
                          "is already defined at line 6, column 22",
                          "services/web.yaml:7:15: error: dependsOn: service \"api\" is already "
                          "defined at line 5, column 15"});
}

TEST_CASE("a cycle is reported once, printed, at the entry that closes it", "[check][depends]") {
  auto s = Tiers();
  s.services[1].depends_on = {On("db", "web", ServiceCondition::kStarted, 5)};
  // Searched from api (services in name order): web's entry closes it.
  CHECK(Check(s) ==
        Lines{"services/web.yaml:5:15: error: dependsOn: cycle api -> db -> web -> api"});
  s.services[1].depends_on.clear();
  s.services[0].depends_on.push_back(On("api", "web", ServiceCondition::kHealthy, 7));
  CHECK(Check(s) == Lines{"services/web.yaml:5:15: error: dependsOn: cycle api -> web -> api"});
}

TEST_CASE("conditions that can never hold", "[check][depends]") {
  auto s = Tiers();
  s.services[0].depends_on[0].condition = ServiceCondition::kSuccess;
  s.services[0].depends_on[1].condition = ServiceCondition::kHealthy;
  s.services[3].scheduling_strategy = model::SchedulingStrategy::kDaemon;
  s.services[3].desired_count_position.reset();
  s.services[2].depends_on.push_back(On("web", "worker", ServiceCondition::kComplete, 6));
  CHECK(Check(s) ==
        Lines{"services/api.yaml:5:30: error: dependsOn: condition SUCCESS never holds for "
              "service \"db\": a REPLICA service runs until it is stopped (a one-shot task is "
              "{taskDefinition: FAMILY, condition: SUCCESS})",
              "services/api.yaml:6:30: error: dependsOn: condition HEALTHY does not apply to a "
              "one-shot task (taskDefinition \"migrate\"): use COMPLETE or SUCCESS",
              "services/web.yaml:6:30: error: dependsOn: condition COMPLETE never holds for "
              "service \"worker\": a DAEMON service runs until it is stopped (a one-shot task is "
              "{taskDefinition: FAMILY, condition: COMPLETE})"});
}

TEST_CASE("STARTED and HEALTHY never hold on a service scaled to 0", "[check][depends]") {
  auto s = Tiers();
  s.services[1].desired_count = 0;
  CHECK(Check(s) == Lines{"services/api.yaml:5:30: error: dependsOn: condition HEALTHY never "
                          "holds for service \"db\": its desiredCount is 0"});
  // A DAEMON service has no desiredCount: STARTED/HEALTHY hold once its hosts run it.
  s.services[1].scheduling_strategy = model::SchedulingStrategy::kDaemon;
  s.services[1].desired_count_position.reset();
  CHECK(Check(s).empty());
}

}  // namespace stowage::check::testing
