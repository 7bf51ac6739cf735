#include "support/sample_plan.h"

namespace stowage::testing {

using plan::ActionType;

plan::Plan SamplePlan() {
  plan::Plan p;
  p.cluster = "prod";
  p.source = {"/srv/fleet",
              "",
              "",
              "prod",
              {{"LOG_LEVEL", "unset"}, {"TAG", "sha256=" + std::string(64, 'a')}}};
  p.source_revision = "c0ffee";
  p.state_fingerprint = "f1f2";
  p.warnings = {"host web-4 is unreachable (connect: refused); its tasks are left as they are"};

  plan::ServicePlan api;
  api.service = "api";
  api.family = "api";
  api.revision = "bbbbbbbbbbbbbbbbbbbb";
  api.scheduling_strategy = "REPLICA";
  api.desired = 2;
  api.running = 2;
  api.deployment =
      plan::Deployment{"aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb", 1, 3, true, 3, true};
  api.steps.push_back(
      {{{ActionType::kStart, "web-1", "n1", api.revision, "revision change", "o1"},
        {ActionType::kStop, "web-2", "o1", "aaaaaaaaaaaaaaaaaaaa", "revision change", ""}},
       1,
       3});
  api.steps.push_back(
      {{{ActionType::kStart, "web-2", "n2", api.revision, "revision change", "o2"},
        {ActionType::kStop, "web-1", "o2", "aaaaaaaaaaaaaaaaaaaa", "revision change", ""}},
       1,
       3});
  api.changes = {
      {plan::ChangeOp::kChange, "containerDefinitions[\"api\"].image", "api:1", "api:2", false},
      {plan::ChangeOp::kChange, "containerDefinitions[\"api\"].secrets.DB", {}, {}, true}};
  p.services.push_back(api);

  plan::ServicePlan web;
  web.service = "web";
  web.family = "web";
  web.revision = "cccccccccccccccc";
  web.scheduling_strategy = "REPLICA";
  web.desired = 4;
  web.running = 1;
  web.steps.push_back({{{ActionType::kStart, "web-1", "w2", web.revision, "scale up 1 -> 4", ""},
                        {ActionType::kStart, "web-2", "w3", web.revision, "exited (code 1)", "w0"},
                        {ActionType::kRemove, "web-3", "w0", web.revision, "exited (code 1)", ""}},
                       0,
                       4});
  web.blocked.push_back(
      {2, {"web-1: memory 512 > 300 free", "web-2: memberOf attribute:zone == a"}});
  web.drift = {{"web-3", "w1", "app memory 512 MiB (defined 256 MiB)"}};
  p.services.push_back(web);

  plan::ServicePlan old;
  old.service = "worker";
  old.family = "worker";
  old.scheduling_strategy = "DAEMON";
  old.running = 1;
  old.steps.push_back(
      {{{ActionType::kStop, "web-3", "k1", "dddd", "service removed (prune)", ""}}, 0, 0});
  p.services.push_back(old);

  p.summary = plan::ComputeSummary(p.services);
  return p;
}

}  // namespace stowage::testing
