// The whole `stowage plan` pipeline on files, phase by phase, for bench_plan:
// load + validate the source in DIR/source (check::ValidateSource, as the
// commands do), take the snapshot from the engine answers recorded in
// DIR/engines (recorded_engines.h: Docker Engine API JSON decoded by the
// product's decoder, hosts concurrently), build the observed state, plan, render
// the JSON and the text. Prints
// the wall and CPU time of each phase, and writes the plan JSON to DIR/plan.json
// (to compare builds: same inputs, same bytes); returns 0 on success.
#pragma once

#include <string>

namespace stowage::bench {

int RunPipeline(const std::string& dir);

// CPU time of the whole process (every thread), in seconds.
double CpuSeconds();

}  // namespace stowage::bench
