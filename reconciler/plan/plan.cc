#include "plan/plan.h"

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

}  // namespace stowage::plan
