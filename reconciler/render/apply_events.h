// Rendering apply progress: JSON lines, plain lines, or a live terminal view.
//
// `stowage apply` picks one Observer: --json prints one JSON object per event
// (and a final "summary" object) for machines; on a terminal a live view
// redraws one line per service (desired, running, healthy, pending, step);
// otherwise (CI logs) plain lines, one per event, without pull progress. The outcome summary
// (RenderApplySummary) ends the text forms. Nothing here sees secret values:
// events carry none.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "apply/applier.h"
#include "apply/events.h"
#include "plan/plan.h"

namespace stowage::render {

nlohmann::ordered_json ApplyEventJson(const apply::ApplyEvent& e);
// The release summary as the last --json event: every service of the release
// by name (unchanged ones too, a not-deployed one with its `cause`), the
// exit code and how many services ended each way ("outcomes").
nlohmann::ordered_json ApplySummaryJson(const apply::ApplyResult& r);
// "web: host-1/3f2a1c healthy", "web: step 2/3", "web: converged" ...
std::string ApplyEventLine(const apply::ApplyEvent& e);
// The release summary: one line per service of the release, by name
// ("api: not deployed: depends on db, which rolled back", "cache: unchanged"),
// then "Apply: 2 converged, 1 rolled back, 3 unchanged; exit status 3."
std::string RenderApplySummary(const apply::ApplyResult& r);

class JsonLinesObserver : public apply::Observer {
 public:
  explicit JsonLinesObserver(std::ostream& out) : out_(out) {}
  void OnEvent(const apply::ApplyEvent& e) override;

 private:
  std::ostream& out_;
};

class PlainObserver : public apply::Observer {
 public:
  explicit PlainObserver(std::ostream& out) : out_(out) {}
  void OnEvent(const apply::ApplyEvent& e) override;

 private:
  std::ostream& out_;
};

// Per service: desired, running, healthy, pending and the current step,
// redrawn in place (ANSI cursor movement) on every event.
class LiveObserver : public apply::Observer {
 public:
  LiveObserver(std::ostream& out, const plan::Plan& plan);
  void OnEvent(const apply::ApplyEvent& e) override;
  // The view as it stands, without cursor movement.
  std::string View() const;

 private:
  struct Row {
    int desired = 0;
    int running = 0;
    int healthy = 0;
    int pending = 0;
    int pulling = 0;  // (host, image) pulls under way
    std::string state = "waiting";
  };
  std::ostream& out_;
  std::map<std::string, Row> rows_;
  int drawn_lines_ = 0;
};

}  // namespace stowage::render
