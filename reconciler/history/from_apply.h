// What an apply leaves in the deploy history: a Record made from the plan it
// executed and the applier's result (pure), and the writing of it with the
// warnings an operator should see when no host took it.
#pragma once

#include <string>

#include "apply/applier.h"
#include "history/record.h"
#include "history/store.h"
#include "model/desired_state.h"
#include "plan/plan.h"
#include "source/source.h"

namespace stowage::history {

struct ApplyContext {
  std::string by;       // "alice@laptop", "watcher@box"
  std::string command;  // "apply", "watch", "rollback"
  std::int64_t time = 0;
  RevisionDetails details;  // commit author and subject (git), empty for a directory
  std::string head;         // rollback: the source's newest revision, moved away from
};

// The record of `plan` applied with `result` (ids, outcome per service and
// for the cluster, the reasons of the services that did not converge).
Record RecordOfApply(const plan::Plan& plan, const apply::ApplyResult& result,
                     const ApplyContext& context);

// "user@machine" from $USER (else "unknown") and gethostname().
std::string WhoAmI();
// gethostname().
std::string Machine();
// Unix milliseconds now.
std::int64_t UnixMillis();

}  // namespace stowage::history
