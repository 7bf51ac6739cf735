#include "plan/plan.h"

#include <set>

namespace stowage::plan {

bool Plan::HasChanges() const {
  for (const auto& s : services) {
    if (s.HasChanges()) return true;
  }
  return false;
}

const char* ActionTypeName(ActionType t) {
  switch (t) {
    case ActionType::kStart:
      return "start";
    case ActionType::kStop:
      return "stop";
    case ActionType::kRemove:
      return "remove";
  }
  return "start";
}

std::optional<ActionType> ParseActionType(const std::string& name) {
  for (ActionType t : {ActionType::kStart, ActionType::kStop, ActionType::kRemove}) {
    if (name == ActionTypeName(t)) return t;
  }
  return std::nullopt;
}

PlanSummary ComputeSummary(const std::vector<ServicePlan>& services) {
  PlanSummary sum;
  for (const auto& s : services) {
    std::set<std::string> replaced;
    for (const auto& step : s.steps) {
      for (const auto& a : step.actions) {
        if (a.type != ActionType::kStart) continue;
        if (a.replaces.empty()) {
          ++sum.to_start;
        } else {
          ++sum.to_replace;
          replaced.insert(a.replaces);
        }
      }
    }
    for (const auto& step : s.steps) {
      for (const auto& a : step.actions) {
        if (a.type != ActionType::kStart && !replaced.count(a.task_id)) ++sum.to_stop;
      }
    }
    if (!s.blocked.empty()) ++sum.blocked_services;
  }
  return sum;
}

}  // namespace stowage::plan
