// Release events that stowage sends to --notify receivers.
//
// One event per release moment: started, succeeded, rolled back, failed, and
// (watch) an invalid commit skipped. EventJson renders the JSON body that is
// POSTed: the event, the cluster, the source revision (commit id, subject and
// author when git knows them), per service the outcome and why, and a `text`
// line so Slack and Mattermost incoming webhooks show it unchanged. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace stowage::notify {

enum class EventKind { kStarted, kSucceeded, kRolledBack, kFailed, kInvalid };
const char* EventName(EventKind kind);  // "release.started", ...

struct ServiceOutcome {
  std::string service;
  std::string outcome;  // "converged", "rolled back", "failed", "blocked", ...
  std::string reason;   // empty when converged
};

struct ReleaseEvent {
  EventKind kind = EventKind::kStarted;
  std::string cluster;
  std::string revision;  // the source revision (a commit id for git)
  std::string subject;   // commit subject, when known
  std::string author;
  std::string by;       // who applied: user@machine or "watcher"
  std::string message;  // why, for failed / rolled back / invalid
  std::vector<ServiceOutcome> services;
  double at = 0;  // unix seconds
};

nlohmann::ordered_json EventJson(const ReleaseEvent& event);

}  // namespace stowage::notify
