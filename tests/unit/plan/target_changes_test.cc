#include "plan/target_changes.h"

#include <catch2/catch.hpp>

#include "plan/plan_json.h"
#include "render/plan_markdown.h"
#include "render/plan_text.h"
#include "support/golden.h"
#include "support/plan_world.h"
#include "support/traffic_fixture.h"

namespace stowage::plan {
namespace {

using Lines = std::vector<std::string>;

// web (app:8080, dynamic host port) bound to edge/web-tg; `count` desired.
struct World : testing::PlanWorld {
  explicit World(int count) {
    AddHost("h1").address = "10.0.0.1";
    AddHost("h2").address = "10.0.0.2";
    AddTaskDefinition("web").containers[0].port_mappings.push_back({8080, 0, "tcp", {}});
    Revise();
    testing::AddEdgeBalancer(desired);
    desired.services.push_back(testing::BoundWebService(count));
  }

  // The pool as the balancer lists it: each name at its task's address and port.
  static traffic::Target Listed(const std::string& name, const std::string& address, int port) {
    traffic::Target t;
    t.name = name;
    t.address = address;
    t.port = port;
    t.state = traffic::TargetState::kReady;
    return t;
  }

  stowage::plan::Plan PlanWith(const targets::TargetListing* listing) {
    stowage::plan::Plan p = Plan();
    p.targets = PlanTargetChanges(p, desired, Observe(), listing);
    return p;
  }
};

Lines Moves(const TargetGroupPlan& g) {
  Lines out;
  auto add = [&](const char* what, const TargetMove& m) {
    out.push_back(std::string(what) + " " + m.name + " " + m.host + " " +
                  (m.address.empty() ? "-" : m.address + ":" + std::to_string(m.port)) + " " +
                  m.reason);
  };
  for (const auto& m : g.register_targets) add("register", m);
  for (const auto& m : g.deregister_targets) add("deregister", m);
  return out;
}

}  // namespace

TEST_CASE("target changes: new tasks, a task missing from the pool, strays", "[plan][targets]") {
  World w(3);
  w.SeedTask("web", "h1", "t1");
  w.SeedTask("web", "h2", "t2");
  targets::TargetListing listing;
  // t1 is in the pool; t2 is not (removed by hand); two servers stowage does not run.
  listing.emplace("web-tg",
                  std::vector<traffic::Target>{World::Listed("web.t1", "10.0.0.1", 32768),
                                               World::Listed("web.gone", "10.0.0.2", 32769),
                                               World::Listed("static1", "10.0.0.9", 80)});
  Plan p = w.PlanWith(&listing);
  REQUIRE(p.targets.size() == 1);
  const TargetGroupPlan& g = p.targets[0];
  CHECK(g.balancer == "edge");
  CHECK(g.group == "web-tg");
  CHECK(g.backend == "web");
  CHECK(g.error.empty());
  REQUIRE(p.services.size() == 1);
  const std::string started = p.services[0].steps[0].actions[0].task_id;
  const std::string started_on = p.services[0].steps[0].actions[0].host;
  CHECK(Moves(g) ==
        Lines{"register web.t2 h2 10.0.0.2:32768 missing from the balancer",
              "register web." + started + " " + started_on + " - new task (scale up 2 -> 3)",
              "deregister web.gone  10.0.0.2:32769 not a running task",
              "deregister static1  10.0.0.9:80 not added by stowage"});
}

TEST_CASE("target changes: a scale-in deregisters the task it stops, with its reason",
          "[plan][targets]") {
  World w(1);
  w.SeedTask("web", "h1", "t1");
  w.SeedTask("web", "h2", "t2");
  targets::TargetListing listing;
  listing.emplace("web-tg",
                  std::vector<traffic::Target>{World::Listed("web.t1", "10.0.0.1", 32768),
                                               World::Listed("web.t2", "10.0.0.2", 32768)});
  Plan p = w.PlanWith(&listing);
  REQUIRE(p.targets.size() == 1);
  REQUIRE(p.targets[0].deregister_targets.size() == 1);
  const TargetMove& gone = p.targets[0].deregister_targets[0];
  CHECK(gone.reason == "scale in 2 -> 1");
  CHECK(gone.service == "web");
  CHECK(p.targets[0].register_targets.empty());

  // Nothing to do: no target group in the plan.
  World steady(2);
  steady.SeedTask("web", "h1", "t1");
  steady.SeedTask("web", "h2", "t2");
  CHECK(steady.PlanWith(&listing).targets.empty());
}

TEST_CASE("target changes: an unread pool is assumed to hold the running tasks",
          "[plan][targets]") {
  World w(2);
  w.SeedTask("web", "h1", "t1");
  targets::TargetListing listing;
  listing.emplace("web-tg", Status::Unreachable("connect to /run/haproxy/admin.sock: refused"));
  Plan p = w.PlanWith(&listing);
  REQUIRE(p.targets.size() == 1);
  CHECK(p.targets[0].error == "connect to /run/haproxy/admin.sock: refused");
  REQUIRE(p.targets[0].register_targets.size() == 1);  // only the task the plan starts
  CHECK(p.targets[0].register_targets[0].address.empty());
  CHECK(p.targets[0].deregister_targets.empty());
  CHECK(UnlistedBalancers(p.targets) ==
        Lines{"load balancer edge: the target changes of web-tg could not be listed (connect to "
              "/run/haproxy/admin.sock: refused): shown are the plan's own starts and stops"});
  // Without any listing (the balancers not asked): the same moves, no error.
  Plan quiet = w.PlanWith(nullptr);
  REQUIRE(quiet.targets.size() == 1);
  CHECK(quiet.targets[0].error.empty());
  CHECK(UnlistedBalancers(quiet.targets).empty());
}

TEST_CASE("target changes: one warning per balancer whose pools could not be read",
          "[plan][targets]") {
  std::vector<TargetGroupPlan> groups{
      {"edge",
       "web-tg",
       "web",
       {},
       {},
       "HAProxy Runtime API tcp://10.0.0.9:9999: no answer in time"},
      {"edge",
       "api-tg",
       "api",
       {},
       {},
       "HAProxy Runtime API tcp://10.0.0.9:9999: no answer in time"},
      {"inner", "db-tg", "db", {}, {}, ""},
      {"back", "jobs-tg", "jobs", {}, {}, "no pool \"jobs\""}};
  CHECK(UnlistedBalancers(groups) ==
        Lines{"load balancer edge: the target changes of web-tg, api-tg could not be listed "
              "(HAProxy Runtime API tcp://10.0.0.9:9999: no answer in time): shown are the plan's "
              "own starts and stops",
              "load balancer back: the target changes of jobs-tg could not be listed (no pool "
              "\"jobs\"): shown are the plan's own starts and stops"});
}

TEST_CASE("target changes in the JSON plan (read back) and in text and Markdown",
          "[plan][targets]") {
  Plan p;
  p.cluster = "prod";
  TargetGroupPlan g{"edge", "web-tg", "web", {}, {}, {}};
  g.register_targets.push_back({"web", "n1", "web.n1", "h1", "", 0, "new task (scale up 1 -> 2)"});
  g.register_targets.push_back(
      {"web", "t2", "web.t2", "h2", "fd00::2", 32768, "missing from the balancer"});
  g.deregister_targets.push_back(
      {"web", "o1", "web.o1", "h2", "10.0.0.2", 32769, "scale in 3 -> 2"});
  g.deregister_targets.push_back({"", "", "static1", "", "10.0.0.9", 80, "not added by stowage"});
  p.targets.push_back(g);
  TargetGroupPlan unread{"edge", "api-tg", "api", {}, {}, "connect: refused"};
  p.targets.push_back(unread);
  p.warnings = UnlistedBalancers(p.targets);  // as `stowage plan` adds them

  const auto json = PlanToJson(p);
  CHECK(json["targets"][0]["register"][0].dump() ==
        R"x({"name":"web.n1","service":"web","task":"n1","host":"h1","address":null,"port":null,)x"
        R"x("reason":"new task (scale up 1 -> 2)"})x");
  auto back = PlanFromJson(json);
  REQUIRE(back.ok());
  CHECK(back->targets == p.targets);
  auto bad = json;
  bad["targets"][0]["register"][0]["port"] = 80;
  CHECK(PlanFromJson(bad).status().message() ==
        "targets[0].register[0].address: expected a string and an integer port, or both null");

  // Golden: tests/golden/plan/targets.expected.{txt,json,md}.
  const std::string text = render::RenderPlanText(p, {});
  CHECK(testing::GoldenFile("plan/targets.expected.txt") == text);
  testing::UpdateGolden("plan/targets.expected.txt", text);
  const std::string json_text = PlanToJsonText(p);
  CHECK(testing::GoldenFile("plan/targets.expected.json") == json_text);
  testing::UpdateGolden("plan/targets.expected.json", json_text);
  const auto md = render::RenderPlanMarkdown(PlanToJson(p));
  REQUIRE(md.size() == 1);
  CHECK(testing::GoldenFile("plan/targets.expected.md") == md[0]);
  testing::UpdateGolden("plan/targets.expected.md", md[0]);
}

}  // namespace stowage::plan
