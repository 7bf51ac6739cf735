// The traffic layer for the commands that converge or show a fleet (apply,
// rollback, watch, status): HAProxy routers and the options the pipeline
// makes its traffic gate from (pipeline/converge.h), and the lines that say
// what the load balancers were told.
#pragma once

#include <memory>

#include "apply/traffic_gate.h"
#include "cli/source_options.h"
#include "pipeline/converge.h"
#include "traffic/router.h"

namespace stowage::cli {

// Routers for the kinds of load balancer the cluster file may declare; an
// ssh:// runtimeApi is reached with the ssh options of `source` (--ssh-key,
// --ssh-persist), as the engines are.
std::unique_ptr<traffic::RouterFactory> MakeRouterFactory(const SourceOptions& source);

// The pipeline's traffic options on `routers`: the HTTP probe of target
// groups' healthCheckPath; no drain with $STOWAGE_BENCH_NO_DRAIN (only for
// bench/traffic's comparison).
pipeline::TrafficOptions CliTraffic(traffic::RouterFactory& routers);

// Prints each change (`traffic: register web.3f2a... (10.0.0.5:32768) in
// edge/web-tg (new task)`) unless quiet, and each error to stderr.
void PrintTraffic(const apply::SyncReport& report, bool quiet);

}  // namespace stowage::cli
