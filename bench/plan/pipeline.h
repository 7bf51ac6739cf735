// The whole `stowage plan` pipeline on files, phase by phase, for bench_plan:
// load + validate the source in DIR/source (check::ValidateSource, as the
// commands do), read and decode DIR/snapshot.json (the engines' container
// lists), build the observed state, plan, render the JSON and the text. Prints
// the wall and CPU time of each phase; returns 0 on success.
#pragma once

#include <string>

namespace stowage::bench {

int RunPipeline(const std::string& dir);

// CPU time of the whole process (every thread), in seconds.
double CpuSeconds();

}  // namespace stowage::bench
