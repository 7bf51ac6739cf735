#include "cli/traffic.h"

#include <cstdlib>
#include <iostream>

#include "traffic/haproxy/haproxy_router.h"
#include "traffic/http/http_probe.h"

namespace stowage::cli {

std::unique_ptr<traffic::RouterFactory> MakeRouterFactory(const SourceOptions& source) {
  return std::make_unique<traffic::haproxy::HaproxyRouterFactory>(SshOptions(source));
}

pipeline::TrafficOptions CliTraffic(traffic::RouterFactory& routers) {
  pipeline::TrafficOptions options;
  options.routers = &routers;
  // bench/traffic/traffic_bench.sh compares a deployment with and without the drain.
  options.times.drain = std::getenv("STOWAGE_BENCH_NO_DRAIN") == nullptr;
  options.probe = [](const std::string& address, int port, const std::string& path) {
    return traffic::HttpProbe(address, port, path);
  };
  return options;
}

void PrintTraffic(const apply::SyncReport& report, bool quiet) {
  if (!quiet) {
    for (const auto& c : report.applied) {
      std::cout << "traffic: " << targets::TargetChangeName(c.kind) << " " << c.name << " ("
                << c.address << ":" << c.port << ") in " << c.balancer << "/" << c.group << " ("
                << c.reason << ")\n";
    }
  }
  for (const auto& e : report.errors) std::cerr << "error: traffic: " << e << "\n";
}

}  // namespace stowage::cli
