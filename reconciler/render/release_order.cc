#include "render/release_order.h"

#include <map>

namespace stowage::render {
namespace {

using Json = nlohmann::ordered_json;

std::string GateText(const Json& gate) {
  const std::string kind = gate["kind"];
  return (kind == "task" ? "task " : "") + gate["on"].get<std::string>() + " " +
         gate["condition"].get<std::string>();
}

const Json& OrderOf(const Json& plan_json) {
  static const Json kNone = Json::object();
  auto it = plan_json.find("order");
  return it == plan_json.end() || !it->contains("gates") ? kNone : *it;
}

}  // namespace

std::vector<std::string> ReleaseOrderLines(const Json& plan_json) {
  std::vector<std::string> lines;
  const Json& order = OrderOf(plan_json);
  if (!order.contains("gates") || order["gates"].empty()) return lines;
  std::map<std::string, std::string> waits_on;
  for (const auto& gate : order["gates"]) {
    if (!gate["waits"].get<bool>()) continue;
    std::string& text = waits_on[gate["service"].get<std::string>()];
    text += (text.empty() ? "" : ", ") + GateText(gate);
  }
  for (std::size_t i = 0; i < order["waves"].size(); ++i) {
    std::string line = "wave " + std::to_string(i + 1) + ":";
    const char* separator = " ";
    for (const auto& name : order["waves"][i]) {
      line += separator + name.get<std::string>();
      auto it = waits_on.find(name.get<std::string>());
      if (it != waits_on.end()) line += " (after " + it->second + ")";
      separator = ", ";
    }
    lines.push_back(line);
  }
  for (const auto& gate : order["gates"]) {
    if (gate["waits"].get<bool>()) continue;
    lines.push_back("not waiting: " + gate["service"].get<std::string>() + " on " + GateText(gate) +
                    " (" + gate.value("why", std::string()) + ")");
  }
  return lines;
}

std::string ReleaseOrderHeading(const Json& plan_json) {
  const Json& order = OrderOf(plan_json);
  const std::size_t n = order.contains("waves") ? order["waves"].size() : 0;
  return "Release order (" + std::to_string(n) + (n == 1 ? " wave" : " waves") + "):";
}

}  // namespace stowage::render
