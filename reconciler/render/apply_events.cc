#include "render/apply_events.h"

#include <map>
#include <sstream>
#include <utility>
#include <vector>

#include "util/printable.h"

namespace stowage::render {

using apply::EventType;

nlohmann::ordered_json ApplyEventJson(const apply::ApplyEvent& e) {
  nlohmann::ordered_json j;
  j["event"] = apply::EventTypeName(e.type);
  j["service"] = e.service;
  if (!e.host.empty()) j["host"] = e.host;
  if (!e.task_id.empty()) j["task"] = e.task_id;
  if (e.type == EventType::kStepStarted) {
    j["step"] = e.step;
    j["steps"] = e.steps;
  }
  if (!e.message.empty()) j["message"] = e.message;
  return j;
}

namespace {

// Every service of the release by name: what the apply did, or nullptr for
// one it left unchanged.
std::map<std::string, const apply::ServiceResult*> Release(const apply::ApplyResult& r) {
  std::map<std::string, const apply::ServiceResult*> out;
  for (const auto& s : r.services) out[s.service] = &s;
  for (const auto& name : r.unchanged) out.emplace(name, nullptr);
  return out;
}

// How many services ended each way, in a fixed order; only those that occur.
std::vector<std::pair<std::string, int>> Tally(const apply::ApplyResult& r) {
  std::map<std::string, int> counts;
  for (const auto& s : r.services) ++counts[apply::OutcomeName(s.outcome)];
  counts["unchanged"] += static_cast<int>(r.unchanged.size());
  std::vector<std::pair<std::string, int>> out;
  for (const char* o : {"converged", "pending", "rolled back", "failed", "blocked", "cancelled",
                        "not deployed", "unchanged"}) {
    if (counts[o] > 0) out.emplace_back(o, counts[o]);
  }
  return out;
}

}  // namespace

nlohmann::ordered_json ApplySummaryJson(const apply::ApplyResult& r) {
  nlohmann::ordered_json services = nlohmann::ordered_json::array();
  for (const auto& [name, s] : Release(r)) {
    nlohmann::ordered_json j;
    j["service"] = name;
    if (s == nullptr) {
      j["outcome"] = "unchanged";
      services.push_back(std::move(j));
      continue;
    }
    j["outcome"] = apply::OutcomeName(s->outcome);
    if (s->outcome == apply::Outcome::kNotDeployed) j["cause"] = apply::OutcomeName(s->cause);
    if (!s->message.empty()) j["message"] = s->message;
    j["started"] = s->started;
    j["stopped"] = s->stopped;
    j["stopping"] = s->stopping;
    j["removed"] = s->removed;
    j["failed"] = s->failed;
    services.push_back(std::move(j));
  }
  nlohmann::ordered_json j;
  j["event"] = "summary";
  j["exit_code"] = r.ExitCode();
  j["services"] = std::move(services);
  j["outcomes"] = nlohmann::ordered_json::object();
  for (const auto& [outcome, n] : Tally(r)) j["outcomes"][outcome] = n;
  return j;
}

namespace {

std::string EventText(const apply::ApplyEvent& e) {
  std::string who = e.service + ": ";
  std::string task = e.host + "/" + e.task_id;
  std::string why = e.message.empty() ? "" : " (" + e.message + ")";
  switch (e.type) {
    case EventType::kImagePulling:
      return who + e.host + " pulling " + e.message;
    case EventType::kImagePulled:
      return who + e.host + " has " + e.message;
    case EventType::kStepStarted:
      return who + "step " + std::to_string(e.step) + "/" + std::to_string(e.steps);
    case EventType::kTaskStarting:
      return who + task + " starting" + why;
    case EventType::kTaskHealthy:
      return who + task + " healthy";
    case EventType::kTaskFailed:
      return who + task + " failed: " + e.message;
    case EventType::kTaskStopped:
      return who + task + " stopped" + why;
    case EventType::kTaskStopping:
      return who + task + " stopping" + why + ", left to the engine (killed after its stopTimeout)";
    case EventType::kTaskRemoved:
      return who + task + " removed";
    case EventType::kTaskRestarted:
      return who + task + " restarted (rollback)";
    case EventType::kCircuitBreaker:
      return who + "circuit breaker tripped: " + e.message;
    case EventType::kServiceDone:
      return who + e.message;
    case EventType::kTaskRegistered:
      return who + task + " takes traffic";
    case EventType::kTaskDraining:
      return who + task + " draining";
    case EventType::kDependencyWait:
      return who + "waits for " + e.message;
    case EventType::kOneShotStarted:
      return who + task + " task " + e.message + " started";
    case EventType::kOneShotExited:
      return who + task + " task " + e.message;
  }
  return who + e.message;
}

}  // namespace

// Engine messages quote images and names from the source: escaped (util/printable.h).
std::string ApplyEventLine(const apply::ApplyEvent& e) { return Printable(EventText(e)); }

namespace {

// " (3 started, 3 stopped, 3 removed)": what the apply did to the service's tasks.
std::string TaskCounts(const apply::ServiceResult& s) {
  std::string out;
  auto add = [&out](int n, const char* what) {
    if (n == 0) return;
    out += (out.empty() ? " (" : ", ") + std::to_string(n) + " " + what;
  };
  add(s.started, "started");
  add(s.failed, "failed");
  add(s.stopped, "stopped");
  add(s.stopping, "stopping");
  add(s.removed, "removed");
  return out.empty() ? out : out + ")";
}

}  // namespace

std::string RenderApplySummary(const apply::ApplyResult& r) {
  std::ostringstream out;
  for (const auto& [name, s] : Release(r)) {
    out << Printable(name) << ": ";
    if (s == nullptr) {
      out << "unchanged\n";
      continue;
    }
    out << apply::OutcomeName(s->outcome);
    if (!s->message.empty()) out << ": " << Printable(s->message);
    out << TaskCounts(*s) << "\n";
  }
  out << "Apply: ";
  const auto tally = Tally(r);
  if (tally.empty()) out << "nothing to do";
  for (std::size_t i = 0; i < tally.size(); ++i) {
    out << (i == 0 ? "" : ", ") << tally[i].second << " " << tally[i].first;
  }
  out << "; exit status " << r.ExitCode() << ".\n";
  return out.str();
}

void JsonLinesObserver::OnEvent(const apply::ApplyEvent& e) {
  out_ << ApplyEventJson(e).dump() << "\n" << std::flush;
}

void PlainObserver::OnEvent(const apply::ApplyEvent& e) {
  // Pull progress is for a terminal; a failed pull is in the summary.
  if (e.type == EventType::kImagePulling || e.type == EventType::kImagePulled) return;
  out_ << ApplyEventLine(e) << "\n" << std::flush;
}

LiveObserver::LiveObserver(std::ostream& out, const plan::Plan& plan) : out_(out) {
  for (const auto& s : plan.services) {
    Row& r = rows_[s.service];
    r.desired = s.desired;
    r.running = s.running;
  }
}

void LiveObserver::OnEvent(const apply::ApplyEvent& e) {
  Row& r = rows_[e.service];
  switch (e.type) {
    case EventType::kImagePulling:
      ++r.pulling;
      break;
    case EventType::kImagePulled:
      r.pulling = std::max(0, r.pulling - 1);
      break;
    case EventType::kStepStarted:
      r.state = "step " + std::to_string(e.step) + "/" + std::to_string(e.steps);
      break;
    case EventType::kTaskStarting:
      ++r.pending;
      break;
    case EventType::kTaskHealthy:
      r.pending = std::max(0, r.pending - 1);
      ++r.healthy;
      ++r.running;
      break;
    case EventType::kTaskFailed:
      r.pending = std::max(0, r.pending - 1);
      break;
    case EventType::kTaskStopped:
    case EventType::kTaskStopping:
      r.running = std::max(0, r.running - 1);
      break;
    case EventType::kTaskRestarted:
      ++r.pending;
      break;
    case EventType::kTaskRemoved:
    case EventType::kCircuitBreaker:
    case EventType::kTaskRegistered:
    case EventType::kTaskDraining:
      break;
    case EventType::kServiceDone:
      r.state = e.message;
      break;
    case EventType::kDependencyWait:
      r.state = "waits for " + e.message;
      break;
    case EventType::kOneShotStarted:
      r.state = "task " + e.message + " running";
      break;
    case EventType::kOneShotExited:
      r.state = "task " + e.message;
      break;
  }
  if (drawn_lines_ > 0) out_ << "\x1b[" << drawn_lines_ << "A";
  std::string view = View();
  std::istringstream lines(view);
  std::string line;
  drawn_lines_ = 0;
  while (std::getline(lines, line)) {
    out_ << "\r\x1b[2K" << line << "\n";
    ++drawn_lines_;
  }
  out_ << std::flush;
}

std::string LiveObserver::View() const {
  std::ostringstream out;
  for (const auto& [name, r] : rows_) {
    out << name << "  desired " << r.desired << "  running " << r.running << "  healthy "
        << r.healthy << "  pending " << r.pending << "  "
        << (r.pulling > 0 ? "pulling " + std::to_string(r.pulling) + " image(s)" : r.state) << "\n";
  }
  return out.str();
}

}  // namespace stowage::render
