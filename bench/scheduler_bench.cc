// scheduler_bench: placement rate of plan/scheduler.h alone.
//
//   build/bench/scheduler_bench [HOSTS=1000] [SERVICES=10000] [TASKS_PER_SERVICE=20]
//
// Places SERVICES x TASKS_PER_SERVICE tasks on HOSTS hosts (3 zones, 2 instance
// types), the services cycling through spread on host (default), spread on zone
// then host, binpack on memory and random; every 5th has a memberOf constraint,
// every 7th distinctInstance, every 11th a static host port. Prints placed tasks
// per second of wall time and of CPU time (the machine may be shared).
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "plan/scheduler.h"

using namespace stowage;
using namespace stowage::plan;

namespace {

int Arg(int argc, char** argv, int i, int fallback) {
  return argc > i ? std::stoi(argv[i]) : fallback;
}

PlacementRequest MakeRequest(int s) {
  PlacementRequest r;
  r.service = "svc" + std::to_string(s);
  r.demand.cpu = 128;
  r.demand.memory = 256;
  model::PlacementStrategy st;
  switch (s % 4) {
    case 1:
      st.type = "spread";
      st.field = "attribute:zone";
      r.strategies.push_back(st);
      st.field = "instanceId";
      r.strategies.push_back(st);
      break;
    case 2:
      st.type = "binpack";
      st.field = "memory";
      r.strategies.push_back(st);
      break;
    case 3:
      st.type = "random";
      r.strategies.push_back(st);
      break;
    default:
      break;
  }
  r.seed = SeedFor("bench", r.service);
  if (s % 5 == 0) r.constraints.push_back({"memberOf", "attribute:type == big", {}});
  if (s % 7 == 0) r.constraints.push_back({"distinctInstance", "", {}});
  if (s % 11 == 0) r.demand.static_ports = {{8000 + s % 100, "tcp"}};
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const int hosts = Arg(argc, argv, 1, 1000);
  const int services = Arg(argc, argv, 2, 10000);
  const int per_service = Arg(argc, argv, 3, 20);
  model::Cluster cluster;
  cluster.name = "bench";
  observe::ObservedState observed;
  for (int i = 0; i < hosts; ++i) {
    model::Host h;
    h.name = "host-" + std::to_string(i);
    h.attributes = {{"zone", "z" + std::to_string(i % 3)}, {"type", i % 2 ? "big" : "small"}};
    cluster.hosts.push_back(h);
    observe::ObservedHost oh;
    oh.name = h.name;
    oh.reachable = true;
    oh.capacity = {1 << 30, 1 << 30};
    observed.hosts.push_back(oh);
  }
  std::vector<PlacementRequest> requests;
  for (int s = 0; s < services; ++s) requests.push_back(MakeRequest(s));

  ClusterView view(cluster, observed);
  auto wall0 = std::chrono::steady_clock::now();
  std::clock_t cpu0 = std::clock();
  long placed = 0, unplaced = 0;
  for (const auto& r : requests) {
    Placement p = Place(view, r, per_service);
    placed += static_cast<long>(p.hosts.size());
    unplaced += p.unplaced;
  }
  double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  std::printf("scheduler: %d hosts, %d services, %ld placed, %ld unplaced\n", hosts, services,
              placed, unplaced);
  std::printf("wall %.3f s: %.0f tasks/s\n", wall, static_cast<double>(placed) / wall);
  std::printf("cpu  %.3f s: %.0f tasks/s\n", cpu, static_cast<double>(placed) / cpu);
  return 0;
}
