#include "history/from_apply.h"

#include <catch2/catch.hpp>

#include "render/history.h"

namespace stowage::history {
namespace {

plan::Plan TwoServices() {
  plan::Plan p;
  p.cluster = "prod";
  p.source_revision = "3f5e0c1d2b4a69788766554433221100aabbccdd";
  plan::ServicePlan web;
  web.service = "web";
  web.revision = "bbbbbbbbbbbbbbbbbbbb";
  web.running = 2;
  web.deployment =
      plan::Deployment{"aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb", 1, 3, true, 2, true};
  p.services.push_back(web);
  plan::ServicePlan api;
  api.service = "api";
  api.revision = "cccccccccccccccccccc";
  api.steps.push_back(
      {{{plan::ActionType::kStart, "h1", "t1", api.revision, "scale up", ""}}, 0, 1});
  p.services.push_back(api);
  return p;
}

ApplyContext Context() {
  ApplyContext c;
  c.by = "alice@laptop";
  c.command = "apply";
  c.time = 1795950123000;
  c.details = {true, "Alice <alice@example.com>", "web: new image"};
  return c;
}

}  // namespace

TEST_CASE("an apply's record: per service before, after and target; the cluster's outcome",
          "[history]") {
  apply::ApplyResult result;
  result.services = {{"web", apply::Outcome::kRolledBack, "circuit breaker: 2 new task(s) failed"},
                     {"api", apply::Outcome::kConverged, ""}};
  Record r = RecordOfApply(TwoServices(), result, Context());
  CHECK(r.id.size() == 16);
  CHECK(r.revision == "3f5e0c1d2b4a69788766554433221100aabbccdd");
  CHECK(r.outcome == Outcome::kRolledBack);
  CHECK(r.reason == "web: rolled back: circuit breaker: 2 new task(s) failed");
  CHECK(r.services ==
        std::vector<ServiceChange>{{"web", "aaaaaaaaaaaa", "aaaaaaaaaaaa", "bbbbbbbbbbbb"},
                                   {"api", "", "cccccccccccc", "cccccccccccc"}});
  CHECK(r.author == "Alice <alice@example.com>");
  CHECK(r.head.empty());
  result.services[0].outcome = apply::Outcome::kFailed;
  CHECK(RecordOfApply(TwoServices(), result, Context()).outcome == Outcome::kFailed);
  result.services[0] = {"web", apply::Outcome::kConverged, ""};
  result.services[1] = {"api", apply::Outcome::kBlocked, "1 task(s) could not be placed"};
  r = RecordOfApply(TwoServices(), result, Context());
  CHECK(r.outcome == Outcome::kBlocked);
  CHECK(r.services[0].after == "bbbbbbbbbbbb");
}

TEST_CASE("history text: newest first, escaped, with what each service ran", "[history][render]") {
  apply::ApplyResult result;
  result.services = {{"web", apply::Outcome::kRolledBack, "circuit breaker"},
                     {"api", apply::Outcome::kConverged, ""}};
  ApplyContext c = Context();
  c.details.subject = "web: \x1b[2Jnew image";
  Record first = RecordOfApply(TwoServices(), result, c);
  c.command = "rollback";
  c.time += 60000;
  c.by = "bob@ci-1";
  c.head = "ffffffffffffffffffffffffffffffffffffffff";
  c.details.subject = "web: old image";
  Record second = RecordOfApply(TwoServices(), {}, c);
  History h;
  h.records = {second, first};
  h.skipped = {"h2: connect: refused"};
  h.invalid = 1;
  CHECK(render::HistoryText("prod", h) ==
        "2026-11-29 11:03:03 UTC  rollback by bob@ci-1  3f5e0c1d2b4a  converged\n"
        "  instead of ffffffffffff\n"
        "  commit: web: old image (Alice <alice@example.com>)\n"
        "  web: aaaaaaaaaaaa -> bbbbbbbbbbbb\n"
        "  api: - -> cccccccccccc\n"
        "2026-11-29 11:02:03 UTC  apply by alice@laptop  3f5e0c1d2b4a  rolled back\n"
        "  commit: web: \\x1b[2Jnew image (Alice <alice@example.com>)\n"
        "  web: aaaaaaaaaaaa -> bbbbbbbbbbbb, runs aaaaaaaaaaaa\n"
        "  api: - -> cccccccccccc\n"
        "  reason: web: rolled back: circuit breaker\n"
        "warning: host h2: connect: refused\n"
        "warning: 1 history record(s) on the engines did not decode and were skipped\n");
  auto j = render::HistoryJson("prod", h);
  CHECK(j["records"][0]["command"] == "rollback");
  CHECK(j["records"][0]["instead_of"] == "ffffffffffffffffffffffffffffffffffffffff");
  CHECK(j["records"][1]["outcome"] == "rolled back");
  CHECK(j["records"][1]["services"][0]["after"] == "aaaaaaaaaaaa");
  CHECK(j["invalid_records"] == 1);
  CHECK(render::HistoryText("prod", {}) == "No deploy history for cluster prod.\n");
}

}  // namespace stowage::history
