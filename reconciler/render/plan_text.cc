#include "render/plan_text.h"

#include <unistd.h>

#include <cstdlib>
#include <map>
#include <sstream>

#include "plan/plan_json.h"
#include "render/change_line.h"
#include "render/plan_targets.h"
#include "render/release_order.h"
#include "util/printable.h"

namespace stowage::render {

using Json = nlohmann::ordered_json;

namespace {

constexpr const char* kGreen = "\033[32m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kReset = "\033[0m";

class Writer {
 public:
  explicit Writer(const TextStyle& style) : style_(style) {}
  std::string Paint(const char* colour, const std::string& text) const {
    return style_.color ? colour + text + kReset : text;
  }
  std::ostringstream& out() { return out_; }

 private:
  TextStyle style_;
  std::ostringstream out_;
};

std::string Short(const std::string& revision) { return revision.substr(0, 12); }

std::string Plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The replacement pairs of a service, over all its steps: for each side, the
// other task and its host. A pair split over two hosts names the other host
// at both ends ("replaced by n1 on web-1"), so no line reads as if the new
// task started where the old one stops.
struct Pairs {
  struct End {
    std::string task_id;
    std::string host;
  };
  std::map<std::string, End> replaced_by;      // old task -> new task
  std::map<std::string, std::string> host_of;  // old task (stopped or removed) -> its host
};

Pairs ReplacementPairs(const Json& service) {
  Pairs out;
  for (const auto& step : service["steps"]) {
    for (const auto& a : step["actions"]) {
      if (a.contains("replaces")) {
        out.replaced_by[a["replaces"].get<std::string>()] = {a["task_id"], a["host"]};
      } else if (a["type"] != "start") {
        out.host_of[a["task_id"].get<std::string>()] = a["host"];
      }
    }
  }
  return out;
}

// " on web-2" when `other` is not `host`.
std::string Elsewhere(const std::string& other, const std::string& host) {
  return other.empty() || other == host ? "" : " on " + other;
}

std::string ActionLine(const Json& a, const Pairs& pairs, const Writer& w) {
  std::string type = a["type"];
  std::string id = a["task_id"];
  std::string host = a["host"];
  std::string reason = a["reason"];
  if (type == "start" && a.contains("replaces")) {
    std::string old = a["replaces"];
    auto h = pairs.host_of.find(old);
    std::string where = h == pairs.host_of.end() ? "" : Elsewhere(h->second, host);
    return w.Paint(kYellow, "~ start " + id + " (replaces " + old + where + "): " + reason);
  }
  if (type == "start") return w.Paint(kGreen, "+ start " + id + ": " + reason);
  auto it = pairs.replaced_by.find(id);
  if (it != pairs.replaced_by.end()) {
    return w.Paint(kYellow, "~ " + type + " " + id + " (replaced by " + it->second.task_id +
                                Elsewhere(it->second.host, host) + "): " + reason);
  }
  return w.Paint(kRed, "- " + type + " " + id + ": " + reason);
}

void RenderStep(const Json& step, const Pairs& pairs, const std::string& indent, Writer& w) {
  // Host by host, hosts in order of their first action.
  std::vector<std::string> hosts;
  std::map<std::string, std::vector<const Json*>> by_host;
  for (const auto& a : step["actions"]) {
    std::string host = a["host"];
    if (!by_host.count(host)) hosts.push_back(host);
    by_host[host].push_back(&a);
  }
  for (const auto& host : hosts) {
    w.out() << indent << host << "\n";
    for (const Json* a : by_host[host]) {
      w.out() << indent << "  " << ActionLine(*a, pairs, w) << "\n";
    }
  }
}

void RenderDeployment(const Json& d, Writer& w) {
  w.out() << "  deployment " << Short(d["from_revision"]) << " -> " << Short(d["to_revision"])
          << ": at least " << d["min_healthy"].get<int>() << " healthy, at most "
          << d["max_running"].get<int>() << " running";
  if (d["circuit_breaker"].get<bool>()) {
    w.out() << "; circuit breaker after "
            << Plural(d["failure_threshold"].get<int>(), "failed task", "failed tasks")
            << (d["rollback"].get<bool>() ? ", then rollback" : "");
  }
  w.out() << "\n";
}

// What the commit changes, field by field, then what was changed outside stowage.
void RenderChanges(const Json& s, Writer& w) {
  std::string note = ComparedWithNote(s);
  if (!note.empty()) w.out() << "  (" << note << ")\n";
  if (!s["changes"].empty()) {
    w.out() << "  changes:\n";
    for (const auto& c : s["changes"]) {
      std::string line = ChangeLine(c);
      const char* colour = line[0] == '+' ? kGreen : line[0] == '-' ? kRed : kYellow;
      w.out() << "    " << w.Paint(colour, line) << "\n";
    }
  }
  if (!s["drift"].empty()) {
    w.out() << "  changed outside stowage:\n";
    for (const auto& d : s["drift"]) w.out() << "    " << DriftLine(d) << "\n";
  }
}

void RenderActions(const Json& s, Writer& w);

void RenderService(const Json& s, Writer& w) {
  std::string header = "service " + s["service"].get<std::string>() + " (" +
                       s["scheduling_strategy"].get<std::string>() + ", " +
                       std::to_string(s["desired"].get<int>()) + " desired, " +
                       std::to_string(s["running"].get<int>()) + " running";
  std::string revision = s["revision"];
  header += revision.empty() ? ", removed from the source)" : ", revision " + Short(revision) + ")";
  w.out() << w.Paint(kBold, header) << "\n";
  if (s.contains("deployment")) RenderDeployment(s["deployment"], w);
  RenderChanges(s, w);
  RenderActions(s, w);
}

// Step by step and host by host, then the blocked tasks.
void RenderActions(const Json& s, Writer& w) {
  Pairs pairs = ReplacementPairs(s);
  const auto& steps = s["steps"];
  for (size_t i = 0; i < steps.size(); ++i) {
    std::string indent = "  ";
    if (steps.size() > 1) {
      w.out() << "  step " << i + 1 << " of " << steps.size() << " (at least "
              << steps[i]["min_healthy"].get<int>() << " healthy, at most "
              << steps[i]["max_running"].get<int>() << " running)\n";
      indent = "    ";
    }
    RenderStep(steps[i], pairs, indent, w);
  }
  for (const auto& b : s["blocked"]) {
    int count = b["count"];
    w.out() << "  " << w.Paint(kRed, "! " + Plural(count, "task", "tasks") + " cannot be placed:")
            << "\n";
    for (const auto& reason : b["reasons"]) {
      w.out() << "    " << reason.get<std::string>() << "\n";
    }
  }
}

// The summary line, then the blocked services ("No changes; 1 service blocked").
std::string SummaryLine(const Json& plan_json) {
  std::string line = PlanSummaryLine(plan_json);
  const int blocked = plan_json["summary"]["blocked_services"];
  if (blocked == 0) return line;
  if (line == "No changes.") line = "No changes";
  return line + "; " + Plural(blocked, "service", "services") + " blocked";
}

// Every string of the plan with its control characters escaped: values from
// the source (an image, a reason quoting one) can neither colour the terminal
// nor forge a line.
Json EscapeStrings(const Json& j) {
  if (j.is_string()) return Printable(j.get_ref<const std::string&>());
  if (!j.is_structured()) return j;
  Json out = j.is_array() ? Json::array() : Json::object();
  if (j.is_array()) {
    for (const auto& item : j) out.push_back(EscapeStrings(item));
  } else {
    for (auto it = j.begin(); it != j.end(); ++it) out[Printable(it.key())] = EscapeStrings(*it);
  }
  return out;
}

}  // namespace

std::string RenderPlanText(const Json& raw_plan, const TextStyle& style) {
  const Json plan_json = EscapeStrings(raw_plan);
  Writer w(style);
  for (const auto& s : plan_json["services"]) {
    RenderService(s, w);
    w.out() << "\n";
  }
  if (auto lines = ReleaseOrderLines(plan_json); !lines.empty()) {
    w.out() << w.Paint(kBold, ReleaseOrderHeading(plan_json)) << "\n";
    for (const auto& line : lines) w.out() << "  " << line << "\n";
    w.out() << "\n";
  }
  for (const auto& group : PlanTargetLines(plan_json)) {
    w.out() << w.Paint(kBold, group.heading) << "\n";
    for (const auto& line : group.lines) {
      const char* colour = line[0] == '+' ? kGreen : line[0] == '-' ? kRed : kYellow;
      w.out() << "  " << w.Paint(colour, line) << "\n";
    }
    w.out() << "\n";
  }
  if (plan_json["services"].empty() && PlanSummaryLine(plan_json) == "No changes.") {
    w.out() << "No changes: the cluster " << plan_json["cluster"].get<std::string>()
            << " matches the source.\n\n";
  }
  for (const auto& warning : plan_json["warnings"]) {
    w.out() << w.Paint(kYellow, "warning: ") << warning.get<std::string>() << "\n";
  }
  for (const auto& error : plan_json["errors"]) {
    w.out() << w.Paint(kRed, "error: ") << error.get<std::string>() << "\n";
  }
  w.out() << SummaryLine(plan_json) << "\n";
  return w.out().str();
}

std::string RenderServiceActions(const Json& service) {
  Writer w(TextStyle{});
  RenderActions(service, w);
  return w.out().str();
}

std::string ServiceKind(const Json& service) {
  if (service["revision"].get<std::string>().empty()) return "remove";
  if (service.value("compared_with", "running") == "nothing") return "create";
  return "update";
}

ServiceActions CountServiceActions(const Json& service) {
  ServiceActions c;
  for (const auto& step : service["steps"]) {
    for (const auto& a : step["actions"]) {
      (a["type"] == "start" ? c.start : c.stop) += 1;
    }
  }
  return c;
}

std::string PlanSummaryLine(const Json& plan_json) {
  int update = 0, create = 0, remove = 0, start = 0, stop = 0;
  for (const auto& s : plan_json["services"]) {
    const std::string kind = ServiceKind(s);
    (kind == "create" ? create : kind == "remove" ? remove : update) += 1;
    const ServiceActions c = CountServiceActions(s);
    start += c.start;
    stop += c.stop;
  }
  int add = 0, drop = 0;
  if (plan_json.contains("targets")) {
    for (const auto& g : plan_json["targets"]) {
      add += static_cast<int>(g.value("register", Json::array()).size());
      drop += static_cast<int>(g.value("deregister", Json::array()).size());
    }
  }
  if (start + stop + add + drop == 0) return "No changes.";
  std::string line = "Plan: " + Plural(update, "service", "services") + " to update, " +
                     std::to_string(create) + " to create, " + std::to_string(remove) +
                     " to remove; " + Plural(start, "task", "tasks") + " to start, " +
                     std::to_string(stop) + " to stop";
  if (add + drop == 0) return line;
  return line + "; " + Plural(add, "target", "targets") + " to register, " + std::to_string(drop) +
         " to deregister";
}

std::string RenderPlanText(const plan::Plan& plan, const TextStyle& style) {
  return RenderPlanText(plan::PlanToJson(plan), style);
}

bool ColorWanted(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return isatty(fd) == 1;
}

}  // namespace stowage::render
