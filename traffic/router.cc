#include "traffic/router.h"

namespace stowage::traffic {

const char* TargetStateName(TargetState s) {
  switch (s) {
    case TargetState::kReady:
      return "ready";
    case TargetState::kDrain:
      return "drain";
    case TargetState::kMaint:
      return "maint";
  }
  return "maint";
}

const char* TargetHealthName(TargetHealth h) {
  switch (h) {
    case TargetHealth::kUnknown:
      return "unknown";
    case TargetHealth::kUp:
      return "up";
    case TargetHealth::kDown:
      return "down";
  }
  return "unknown";
}

std::string TargetName(const std::string& service, const std::string& task_id) {
  return service + "." + task_id;
}

std::optional<TargetOwner> ParseTargetName(const std::string& name) {
  auto dot = name.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= name.size()) return std::nullopt;
  if (name.find('.', dot + 1) != std::string::npos) return std::nullopt;
  return TargetOwner{name.substr(0, dot), name.substr(dot + 1)};
}

}  // namespace stowage::traffic
