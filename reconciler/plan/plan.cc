#include "plan/plan.h"

#include <set>

namespace stowage::plan {

bool Plan::HasChanges() const {
  for (const auto& s : services) {
    if (s.HasChanges()) return true;
  }
  return false;
}

bool Plan::HasTargetChanges() const {
  for (const auto& g : targets) {
    if (!g.register_targets.empty() || !g.deregister_targets.empty()) return true;
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

namespace {

// The value of `all` whose name is `name`.
template <typename E>
std::optional<E> ParseName(const std::string& name, std::initializer_list<E> all,
                           const char* (*name_of)(E)) {
  for (E e : all) {
    if (name == name_of(e)) return e;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ActionType> ParseActionType(const std::string& name) {
  return ParseName(name, {ActionType::kStart, ActionType::kStop, ActionType::kRemove},
                   ActionTypeName);
}

const char* ChangeOpName(ChangeOp op) {
  switch (op) {
    case ChangeOp::kAdd:
      return "add";
    case ChangeOp::kChange:
      return "change";
    case ChangeOp::kRemove:
      return "remove";
  }
  return "change";
}

std::optional<ChangeOp> ParseChangeOp(const std::string& name) {
  return ParseName(name, {ChangeOp::kAdd, ChangeOp::kChange, ChangeOp::kRemove}, ChangeOpName);
}

const char* ComparedWithName(ComparedWith c) {
  switch (c) {
    case ComparedWith::kRunning:
      return "running";
    case ComparedWith::kNothing:
      return "nothing";
    case ComparedWith::kUnrecorded:
      return "unrecorded";
  }
  return "running";
}

std::optional<ComparedWith> ParseComparedWith(const std::string& name) {
  return ParseName(name,
                   {ComparedWith::kRunning, ComparedWith::kNothing, ComparedWith::kUnrecorded},
                   ComparedWithName);
}

const char* GateKindName(GateKind k) { return k == GateKind::kTask ? "task" : "service"; }

std::optional<GateKind> ParseGateKind(const std::string& name) {
  return ParseName(name, {GateKind::kService, GateKind::kTask}, GateKindName);
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
