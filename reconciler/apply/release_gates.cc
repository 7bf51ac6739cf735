#include "apply/release_gates.h"

#include <chrono>

#include "model/dependency_graph.h"

namespace stowage::apply {

ReleaseBoard::ReleaseBoard(const plan::Plan& plan) : plan_(plan) {
  std::vector<model::GraphNode> graph;
  for (const auto& s : plan.services) {
    services_[s.service];
    graph.push_back({s.service, {}});
    for (const auto* g : GatesOf(s.service)) {
      if (g->kind == plan::GateKind::kService) graph.back().depends_on.push_back(g->on);
    }
  }
  auto cycles = model::FindCycles(graph);
  if (!cycles.empty()) {
    cycle_error_ = "the plan's order has a cycle: " + model::CycleText(cycles.front());
  }
}

std::vector<const plan::DependencyGate*> ReleaseBoard::GatesOf(const std::string& service) const {
  std::vector<const plan::DependencyGate*> out;
  for (auto kind : {plan::GateKind::kService, plan::GateKind::kTask}) {
    for (const auto& g : plan_.order.gates) {
      if (g.waits && g.service == service && g.kind == kind) out.push_back(&g);
    }
  }
  return out;
}

void ReleaseBoard::MarkStarted(const std::string& service) {
  {
    std::lock_guard lock(mu_);
    services_[service].started = true;
  }
  cv_.notify_all();
}

void ReleaseBoard::MarkDone(const std::string& service, const ServiceResult& result) {
  {
    std::lock_guard lock(mu_);
    Entry& e = services_[service];
    if (result.outcome == Outcome::kConverged) {
      e.converged = true;
    } else {
      e.failed = GateFailure{
          result.outcome, result.outcome == Outcome::kNotDeployed ? result.cause : result.outcome};
    }
  }
  cv_.notify_all();
}

std::optional<GateFailure> ReleaseBoard::Await(const plan::DependencyGate& gate,
                                               const std::atomic<bool>* cancel) {
  std::unique_lock lock(mu_);
  auto it = services_.find(gate.on);
  if (it == services_.end()) return std::nullopt;  // not in the plan: nothing to deploy
  const bool started_is_enough = gate.condition == "STARTED";
  while (true) {
    const Entry& e = it->second;
    if (e.converged || (started_is_enough && e.started)) return std::nullopt;
    if (e.failed) return e.failed;
    if (cancel != nullptr && cancel->load()) {
      return GateFailure{Outcome::kCancelled, Outcome::kCancelled};
    }
    cv_.wait_for(lock, std::chrono::milliseconds(200));
  }
}

std::string DependencyEnded(Outcome outcome) {
  switch (outcome) {
    case Outcome::kRolledBack:
      return "rolled back";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kBlocked:
      return "is blocked";
    case Outcome::kCancelled:
      return "was cancelled";
    case Outcome::kPending:
      return "is not healthy yet (--no-wait)";
    case Outcome::kNotDeployed:
      return "was not deployed";
    case Outcome::kConverged:
      return "converged";
  }
  return "failed";
}

}  // namespace stowage::apply
