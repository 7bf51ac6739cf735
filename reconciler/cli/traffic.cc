#include "cli/traffic.h"

#include <cstdlib>
#include <iostream>

#include "apply/clock.h"
#include "observe/snapshot.h"
#include "traffic/haproxy/haproxy_router.h"
#include "traffic/http/http_probe.h"

namespace stowage::cli {

std::unique_ptr<traffic::RouterFactory> MakeRouterFactory() {
  return std::make_unique<traffic::haproxy::HaproxyRouterFactory>();
}

apply::HealthProbe MakeHealthProbe() {
  return [](const std::string& address, int port, const std::string& path) {
    return traffic::HttpProbe(address, port, path);
  };
}

std::unique_ptr<apply::TrafficGate> MakeTrafficGate(const model::DesiredState& desired,
                                                    traffic::RouterFactory& routers) {
  if (desired.cluster.load_balancers.empty()) return nullptr;
  apply::GateTimes times;
  // bench/traffic/traffic_bench.sh compares a deployment with and without the drain.
  times.drain = std::getenv("STOWAGE_BENCH_NO_DRAIN") == nullptr;
  return std::make_unique<apply::TrafficGate>(desired, routers, apply::SystemClock(), times,
                                              MakeHealthProbe());
}

bool SyncTraffic(apply::TrafficGate& gate, const model::DesiredState& desired,
                 runtime::RuntimeFactory& runtimes, bool quiet) {
  const observe::ObservedState observed = observe::ObserveFleet(desired, runtimes);
  const apply::SyncReport report = gate.Sync(observed);
  if (!quiet) {
    for (const auto& c : report.applied) {
      std::cout << "traffic: " << targets::TargetChangeName(c.kind) << " " << c.name << " ("
                << c.address << ":" << c.port << ") in " << c.balancer << "/" << c.group << " ("
                << c.reason << ")\n";
    }
  }
  for (const auto& e : report.errors) std::cerr << "error: traffic: " << e << "\n";
  return report.errors.empty();
}

}  // namespace stowage::cli
