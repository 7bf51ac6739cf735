// Release events from what the applier reports (apply/applier.h): which event an
// apply result is, and each service's outcome and reason, for the notifier.
#pragma once

#include "apply/applier.h"
#include "model/desired_state.h"
#include "notify/event.h"

namespace stowage::notify {

// The event for a finished apply: succeeded (exit 0), rolled back (3), failed (else).
ReleaseEvent FinishedEvent(const model::DesiredState& desired, const apply::ApplyResult& result);
// The event for an apply about to start.
ReleaseEvent StartedEvent(const model::DesiredState& desired);

}  // namespace stowage::notify
