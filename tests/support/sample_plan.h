// A small hand-made Plan covering every kind of action, a deployment, a
// blocked service and warnings: shared by the plan JSON and renderer tests.
#pragma once

#include "plan/plan.h"

namespace stowage::testing {

plan::Plan SamplePlan();

}  // namespace stowage::testing
