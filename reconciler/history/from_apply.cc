#include "history/from_apply.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>

namespace stowage::history {
namespace {

std::string Short(const std::string& revision) { return revision.substr(0, 12); }

// The revision the service's tasks had before: the deployment's, else that of
// the tasks the plan stops, else (scale up of what runs) the target.
std::string Before(const plan::ServicePlan& sp) {
  if (sp.deployment) return sp.deployment->from_revision;
  for (const auto& step : sp.steps) {
    for (const auto& a : step.actions) {
      if (a.type != plan::ActionType::kStart && !a.revision.empty()) return a.revision;
    }
  }
  return sp.running > 0 ? sp.revision : "";
}

Outcome ClusterOutcome(const apply::ApplyResult& result) {
  Outcome out = Outcome::kConverged;
  for (const auto& s : result.services) {
    // A service not deployed counts as what kept it back (db rolled back, ...).
    switch (s.outcome == apply::Outcome::kNotDeployed ? s.cause : s.outcome) {
      case apply::Outcome::kRolledBack:
        if (out != Outcome::kFailed) out = Outcome::kRolledBack;
        break;
      case apply::Outcome::kFailed:
      case apply::Outcome::kCancelled:
        out = Outcome::kFailed;
        break;
      case apply::Outcome::kBlocked:
        if (out == Outcome::kConverged) out = Outcome::kBlocked;
        break;
      case apply::Outcome::kConverged:
      case apply::Outcome::kPending:
      case apply::Outcome::kNotDeployed:
        break;
    }
  }
  return out;
}

}  // namespace

Record RecordOfApply(const plan::Plan& plan, const apply::ApplyResult& result,
                     const ApplyContext& context) {
  Record r;
  r.id = NewRecordId();
  r.time = context.time;
  r.by = context.by;
  r.command = context.command;
  r.revision = plan.source_revision;
  r.git = context.details.git;
  r.author = context.details.author;
  r.subject = context.details.subject;
  r.head = context.head == plan.source_revision ? "" : context.head;
  r.outcome = ClusterOutcome(result);
  for (std::size_t i = 0; i < plan.services.size(); ++i) {
    const auto& sp = plan.services[i];
    apply::Outcome o =
        i < result.services.size() ? result.services[i].outcome : apply::Outcome::kConverged;
    std::string before = Short(Before(sp));
    std::string after;
    switch (o) {
      case apply::Outcome::kRolledBack:
      case apply::Outcome::kNotDeployed:  // kept its old tasks
        after = before;
        break;
      case apply::Outcome::kFailed:
      case apply::Outcome::kCancelled:
        after = "";  // some of each: unknown
        break;
      default:
        after = Short(sp.revision);
    }
    r.services.push_back({sp.service, before, after, Short(sp.revision)});
    if (i < result.services.size() && o != apply::Outcome::kConverged &&
        o != apply::Outcome::kPending) {
      const auto& s = result.services[i];
      std::string why = s.service + ": " + apply::OutcomeName(o);
      if (!s.message.empty()) why += ": " + s.message;
      r.reason += (r.reason.empty() ? "" : "; ") + why;
    }
  }
  return r;
}

std::string Machine() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return host;
}

std::string WhoAmI() {
  const char* user = std::getenv("USER");
  return std::string(user != nullptr && *user != '\0' ? user : "unknown") + "@" + Machine();
}

std::int64_t UnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace stowage::history
