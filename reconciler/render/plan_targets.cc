#include "render/plan_targets.h"

namespace stowage::render {
namespace {

using Json = nlohmann::ordered_json;

std::string Where(const Json& move) {
  std::string out;
  const std::string host = move["host"];
  if (!host.empty()) out += " on " + host;
  if (move["address"].is_null()) return out + " (address after start)";
  const std::string address = move["address"];
  const bool v6 = address.find(':') != std::string::npos;
  return out + " " + (v6 ? "[" + address + "]" : address) + ":" +
         std::to_string(move["port"].get<int>());
}

std::string Line(const char* mark, const char* what, const Json& move) {
  return std::string(mark) + " " + what + " " + move["name"].get<std::string>() + Where(move) +
         ": " + move["reason"].get<std::string>();
}

}  // namespace

std::vector<TargetGroupLines> PlanTargetLines(const Json& plan_json) {
  std::vector<TargetGroupLines> out;
  if (!plan_json.contains("targets")) return out;
  for (const auto& g : plan_json["targets"]) {
    TargetGroupLines group;
    group.heading = "target group " + g["balancer"].get<std::string>() + "/" +
                    g["group"].get<std::string>() + " (backend " + g["backend"].get<std::string>() +
                    ")";
    for (const auto& m : g["register"]) group.lines.push_back(Line("+", "register", m));
    for (const auto& m : g["deregister"]) group.lines.push_back(Line("-", "deregister", m));
    if (g.contains("error")) {
      group.lines.push_back("! the balancer's pool could not be read (" +
                            g["error"].get<std::string>() +
                            "): the plan's own starts and stops only");
    }
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace stowage::render
