// A plan's target changes in words, shared by the text and Markdown forms.
//
// Rendered from the `targets` of a plan's JSON form (plan/plan_json.h): per
// target group a heading ("target group edge/web-tg (backend web)") and one
// line per target, registrations first:
//   + register web.3f2a1b9c0d1e on web-1 (address after start): new task (scale up 2 -> 3)
//   - deregister web.0f1e2d3c4b5a on web-2 10.0.0.6:32768: scale in 3 -> 2
// and, when the balancer's pool could not be read, a line saying so. Nothing
// for a plan without target groups to change.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stowage::render {

struct TargetGroupLines {
  std::string heading;             // "target group edge/web-tg (backend web)"
  std::vector<std::string> lines;  // no indent, no escaping (the callers escape)
};

std::vector<TargetGroupLines> PlanTargetLines(const nlohmann::ordered_json& plan_json);

}  // namespace stowage::render
