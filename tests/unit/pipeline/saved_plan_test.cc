// CheckSavedPlan: `apply PLANFILE` refuses a plan made against another
// source, other template values or other hosts, naming what changed; and
// applying one does not read the balancers for target changes made again.
#include <catch2/catch.hpp>

#include "pipeline/converge.h"
#include "support/plan_world.h"
#include "support/traffic_fixture.h"
#include "traffic/fake/fake_router.h"

namespace stowage::pipeline {
namespace {

// The fake balancers, counting how often a pool is listed.
class ListCounter : public traffic::Router {
 public:
  ListCounter(std::shared_ptr<traffic::Router> inner, int& lists)
      : inner_(std::move(inner)), lists_(lists) {}
  Result<std::vector<traffic::Target>> List(const std::string& pool) override {
    ++lists_;
    return inner_->List(pool);
  }
  Status Register(const std::string& pool, const traffic::Target& target) override {
    return inner_->Register(pool, target);
  }
  Status SetState(const std::string& pool, const std::string& name,
                  traffic::TargetState state) override {
    return inner_->SetState(pool, name, state);
  }
  Status Deregister(const std::string& pool, const std::string& name) override {
    return inner_->Deregister(pool, name);
  }

 private:
  std::shared_ptr<traffic::Router> inner_;
  int& lists_;
};

class CountingRouters : public traffic::RouterFactory {
 public:
  Result<std::shared_ptr<traffic::Router>> Connect(const model::LoadBalancer& balancer,
                                                   const model::Cluster& cluster) override {
    auto inner = fake_.Connect(balancer, cluster);
    if (!inner.ok()) return inner.status();
    return std::shared_ptr<traffic::Router>(std::make_shared<ListCounter>(*inner, lists));
  }
  traffic::fake::FakeRouterFactory fake_;
  int lists = 0;
};

}  // namespace

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

TEST_CASE("applying a saved plan reads the balancers' pools only to sync them, not to plan",
          "[pipeline][plan]") {
  testing::PlanWorld world;
  world.AddHost("h1");
  world.AddTaskDefinition("web");
  world.AddService("web", "web", 0);
  testing::AddEdgeBalancer(world.desired);
  CountingRouters routers;
  routers.fake_.Balancer("edge")->AddPool("web");
  ConvergeOptions options;
  options.traffic.routers = &routers;

  // Planning afresh: the pool is listed for the plan's target changes, then synced.
  ConvergeResult fresh = ConvergeLocked(world.desired, world.factory(), options);
  REQUIRE(fresh.status.ok());
  CHECK(routers.lists == 2);

  // A saved plan is applied as it is: its target changes are not made again.
  routers.lists = 0;
  options.saved = world.Plan();
  ConvergeResult saved = ConvergeLocked(world.desired, world.factory(), options);
  REQUIRE(saved.status.ok());
  CHECK(saved.stage == ConvergeResult::Stage::kPlanned);
  CHECK(routers.lists == 1);
}

}  // namespace stowage::pipeline
