#include "notify/event.h"

namespace stowage::notify {

const char* EventName(EventKind kind) {
  switch (kind) {
    case EventKind::kStarted:
      return "release.started";
    case EventKind::kSucceeded:
      return "release.succeeded";
    case EventKind::kRolledBack:
      return "release.rolled_back";
    case EventKind::kFailed:
      return "release.failed";
    case EventKind::kInvalid:
      return "commit.invalid";
  }
  return "release.failed";
}

namespace {

std::string Headline(const ReleaseEvent& e) {
  const std::string rev = e.revision.substr(0, 12);
  const std::string where = "stowage " + e.cluster + ": ";
  switch (e.kind) {
    case EventKind::kStarted:
      return where + "release of " + rev + " started";
    case EventKind::kSucceeded:
      return where + "release of " + rev + " succeeded";
    case EventKind::kRolledBack:
      return where + "release of " + rev + " rolled back";
    case EventKind::kFailed:
      return where + "release of " + rev + " failed";
    case EventKind::kInvalid:
      return where + "commit " + rev + " is invalid, skipped";
  }
  return where + rev;
}

}  // namespace

nlohmann::ordered_json EventJson(const ReleaseEvent& e) {
  std::string text = Headline(e);
  if (!e.subject.empty())
    text += " (\"" + e.subject + "\"" + (e.author.empty() ? "" : " by " + e.author) + ")";
  if (!e.message.empty()) text += ": " + e.message;
  nlohmann::ordered_json services = nlohmann::ordered_json::array();
  for (const auto& s : e.services) {
    services.push_back({{"service", s.service}, {"outcome", s.outcome}, {"reason", s.reason}});
    if (!s.reason.empty()) text += "\n- " + s.service + ": " + s.outcome + " (" + s.reason + ")";
  }
  return {{"event", EventName(e.kind)},
          {"cluster", e.cluster},
          {"revision", e.revision},
          {"subject", e.subject},
          {"author", e.author},
          {"by", e.by},
          {"message", e.message},
          {"services", services},
          {"at", e.at},
          {"text", text}};
}

}  // namespace stowage::notify
