#include "notify/release.h"

#include <chrono>

namespace stowage::notify {
namespace {

ReleaseEvent Base(const model::DesiredState& desired, EventKind kind) {
  ReleaseEvent e;
  e.kind = kind;
  e.cluster = desired.cluster.name;
  e.revision = desired.source_revision;
  e.at = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  return e;
}

}  // namespace

ReleaseEvent StartedEvent(const model::DesiredState& desired) {
  ReleaseEvent e = Base(desired, EventKind::kStarted);
  for (const auto& s : desired.services) e.services.push_back({s.name, "deploying", ""});
  return e;
}

ReleaseEvent FinishedEvent(const model::DesiredState& desired, const apply::ApplyResult& result) {
  const int code = result.ExitCode();
  ReleaseEvent e = Base(desired, code == 0   ? EventKind::kSucceeded
                                 : code == 3 ? EventKind::kRolledBack
                                             : EventKind::kFailed);
  for (const auto& s : result.services) {
    e.services.push_back({s.service, apply::OutcomeName(s.outcome), s.message});
    if (s.outcome != apply::Outcome::kConverged && e.message.empty()) {
      e.message = s.service + ": " + apply::OutcomeName(s.outcome);
    }
  }
  return e;
}

}  // namespace stowage::notify
