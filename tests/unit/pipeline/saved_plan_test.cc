// CheckSavedPlan: `apply PLANFILE` refuses a plan made against another
// source, other template values or other hosts, naming what changed.
#include <catch2/catch.hpp>

#include "pipeline/converge.h"
#include "support/plan_world.h"

namespace stowage::pipeline {

TEST_CASE("a saved plan is stale when a template value changed, naming the variables",
          "[pipeline][plan]") {
  testing::PlanWorld world;
  world.AddHost("h1");
  world.AddTaskDefinition("web");
  world.AddService("web", "web", 1);
  world.desired.template_values = {{"TAG", "sha256=" + std::string(64, 'a')}, {"LEVEL", "unset"}};
  const plan::Plan saved = world.Plan();
  CHECK(saved.source.template_values == world.desired.template_values);
  CHECK(CheckSavedPlan(saved, world.desired, world.Observe()).ok());

  world.desired.template_values["TAG"] = "sha256=" + std::string(64, 'b');
  Status one = CheckSavedPlan(saved, world.desired, world.Observe());
  CHECK(one.code() == Status::Code::kConflict);
  CHECK(one.message() ==
        "plan is stale: template variable TAG changed since the plan was made "
        "(--var-file, --template-env)");

  world.desired.template_values["LEVEL"] = "sha256=" + std::string(64, 'c');
  CHECK(CheckSavedPlan(saved, world.desired, world.Observe()).message() ==
        "plan is stale: template variables LEVEL, TAG changed since the plan was made "
        "(--var-file, --template-env)");

  // The source check comes first.
  world.desired.source_revision = "another";
  CHECK(CheckSavedPlan(saved, world.desired, world.Observe()).message() ==
        "plan is stale: the source changed since the plan was made");
}

}  // namespace stowage::pipeline
