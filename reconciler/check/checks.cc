// The whole-source pass: names unique across documents, then each document.
#include "check/checks.h"

#include "check/internal.h"
#include "check/position.h"

namespace stowage::check {

void CheckDesiredState(const model::DesiredState& state, const CheckContext& ctx,
                       Diagnostics& diags) {
  CheckDocuments(state, diags);
  CheckCluster(state.cluster, diags);
  policy::CheckPolicy(state, ctx.policy, diags);
}

void CheckDocuments(const model::DesiredState& state, Diagnostics& diags) {
  UniqueNames families("family", "");
  for (const auto& td : state.task_definitions) {
    families.Add(td.family, Best(td.family_position, td.position), diags);
    CheckTaskDefinition(td, diags);
  }
  UniqueNames services("serviceName", "");
  for (const auto& s : state.services) {
    services.Add(s.name, Best(s.name_position, s.position), diags);
    CheckService(s, state, diags);
    CheckServiceLoadBalancers(s, state, diags);
  }
  CheckServiceDependencies(state, diags);
}

}  // namespace stowage::check
