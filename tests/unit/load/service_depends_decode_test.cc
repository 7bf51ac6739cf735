// The service `dependsOn` field: decoded with its positions; its shape is
// checked by the schema and the decoder.
#include <catch2/catch.hpp>

#include "load_test_util.h"

namespace stowage::load {
namespace {

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("service dependsOn decodes with positions", "[loader][depends]") {
  auto loaded = LoadFiles({{"api.yaml", R"(serviceName: api
taskDefinition: api
desiredCount: 2
dependsOn:
  - {service: db, condition: HEALTHY}
  - taskDefinition: migrate
    condition: SUCCESS
)"}});
  CHECK(Lines(loaded) == Strings{});
  REQUIRE(loaded.state.services.size() == 1);
  const auto& deps = loaded.state.services[0].depends_on;
  REQUIRE(deps.size() == 2);
  CHECK(deps[0].service == "db");
  CHECK_FALSE(deps[0].IsTask());
  CHECK(deps[0].condition == model::ServiceCondition::kHealthy);
  CHECK(deps[0].position.line == 5);
  CHECK(deps[0].target_position.line == 5);
  CHECK(deps[0].target_position.column == 15);
  CHECK(deps[0].condition_position.column == 30);
  CHECK(deps[1].task_family == "migrate");
  CHECK(deps[1].IsTask());
  CHECK(deps[1].Target() == "migrate");
  CHECK(deps[1].condition == model::ServiceCondition::kSuccess);
  CHECK(deps[1].position.line == 6);
  CHECK(deps[1].position.column == 5);
  CHECK(deps[1].target_position.line == 6);
  CHECK(deps[1].target_position.column == 21);
  CHECK(deps[1].condition_position.line == 7);
}

TEST_CASE("service dependsOn: shape errors at the entry", "[loader][depends]") {
  auto loaded = LoadFiles({{"api.yaml", R"(serviceName: api
taskDefinition: api
desiredCount: 2
dependsOn:
  - {service: db, condition: READY}
  - {service: db}
  - {service: "d b", condition: STARTED}
)"}});
  CHECK(Lines(loaded) ==
        Strings{"api.yaml:5:30: error: dependsOn[0].condition: expected one of \"STARTED\", "
                "\"HEALTHY\", \"COMPLETE\", \"SUCCESS\", got \"READY\"",
                "api.yaml:6:5: error: dependsOn[1]: missing required field \"condition\"",
                "api.yaml:7:15: error: dependsOn[2].service: expected a name of 1 to 255 "
                "letters, digits, '-' or '_', got \"d b\""});
  CHECK_FALSE(loaded.ok());
}

TEST_CASE("service dependsOn: an entry names a service or a task, not both", "[loader][depends]") {
  auto loaded = LoadFiles({{"api.yaml", R"(serviceName: api
taskDefinition: api
desiredCount: 2
dependsOn:
  - {service: db, taskDefinition: migrate, condition: SUCCESS}
  - {condition: STARTED}
)"}});
  CHECK(Lines(loaded) ==
        Strings{"api.yaml:5:5: error: dependsOn[0]: expected one of service or taskDefinition, "
                "not both",
                "api.yaml:6:5: error: dependsOn[1]: expected one of service or taskDefinition"});
  CHECK_FALSE(loaded.ok());
}

}  // namespace stowage::load
