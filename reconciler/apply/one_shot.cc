#include "apply/one_shot.h"

#include <cstdio>
#include <random>

#include "apply/container_spec.h"
#include "observe/snapshot.h"

namespace stowage::apply {

std::string NewOneShotId() {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> dist;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%012llx",
                static_cast<unsigned long long>(dist(rd) & 0xffffffffffffULL));
  return buf;
}

OneShotPlacement PlaceOneShots(const model::DesiredState& desired, const model::TaskDefinition& td,
                               runtime::RuntimeFactory& factory, int count) {
  auto observed = observe::ObserveFleet(desired, factory);
  plan::ClusterView view(desired.cluster, observed);
  plan::PlacementRequest req;
  req.service = StandaloneService(td.family);
  req.demand = plan::DemandOf(td);
  req.constraints = td.placement_constraints;
  auto placement = plan::Place(view, req, count);
  OneShotPlacement out;
  for (int h : placement.hosts) out.hosts.push_back(view.HostName(h));
  out.unplaced = placement.unplaced;
  out.reasons = std::move(placement.reasons);
  return out;
}

Status StartOneShot(HostSession& session, const model::TaskDefinition& td,
                    const std::string& commit, const std::string& task_id,
                    const SecretResolver& resolve, Clock& clock) {
  TaskIdentity id{
      session.cluster(), session.host(), StandaloneService(td.family), task_id, true, "", commit};
  auto spec = BuildTaskSpec(td, id, resolve);
  if (!spec.ok()) return spec.status();
  TaskOps ops(session, clock, GateOptions{});
  return ops.StartNew(*spec);
}

Result<std::map<std::string, int>> WaitOneShot(HostSession& session, const std::string& task_id,
                                               Clock& clock, const GateOptions& gate,
                                               std::optional<std::chrono::milliseconds> limit) {
  TaskOps ops(session, clock, gate);
  return ops.WaitExited(task_id, limit);
}

std::string EssentialFailure(const model::TaskDefinition& td,
                             const std::map<std::string, int>& exit_codes) {
  for (const auto& c : td.containers) {
    auto it = exit_codes.find(c.name);
    if (!c.essential || it == exit_codes.end() || it->second == 0) continue;
    return c.name + " exited " + std::to_string(it->second);
  }
  return "";
}

}  // namespace stowage::apply
