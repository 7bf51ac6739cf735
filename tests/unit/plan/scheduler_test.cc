#include <catch2/catch.hpp>

#include <map>

#include "plan/scheduler.h"

namespace stowage::plan {
namespace {

// A cluster and its observed state, written by hand.
struct World {
  model::Cluster cluster;
  observe::ObservedState observed;

  World() {
    cluster.name = "prod";
    observed.cluster = "prod";
  }

  void Host(const std::string& name, int cpu, int memory,
            std::map<std::string, std::string> attributes = {},
            model::HostState state = model::HostState::kActive, bool reachable = true) {
    model::Host h;
    h.name = name;
    h.attributes = std::move(attributes);
    h.state = state;
    cluster.hosts.push_back(h);
    observe::ObservedHost oh;
    oh.name = name;
    oh.state = state;
    oh.reachable = reachable;
    if (!reachable) oh.error = Status::Unreachable("connection refused");
    oh.capacity = {cpu, memory};
    observed.hosts.push_back(oh);
  }

  void Task(const std::string& host, const std::string& service, int cpu, int memory,
            std::vector<observe::HostPort> ports = {}) {
    observe::ObservedTask t;
    t.id = service + "-" + std::to_string(observed.tasks.size());
    t.service = service;
    t.host = host;
    t.cpu = cpu;
    t.memory = memory;
    t.ports = std::move(ports);
    t.active = true;
    observed.tasks.push_back(t);
  }
};

PlacementRequest Request(const std::string& service, int cpu, int memory) {
  PlacementRequest r;
  r.service = service;
  r.demand.cpu = cpu;
  r.demand.memory = memory;
  return r;
}

model::PlacementStrategy Strategy(const std::string& type, const std::string& field = "") {
  model::PlacementStrategy s;
  s.type = type;
  s.field = field;
  return s;
}

model::PlacementConstraint Constraint(const std::string& type, const std::string& expr = "") {
  model::PlacementConstraint c;
  c.type = type;
  c.expression = expr;
  return c;
}

std::vector<std::string> Names(const ClusterView& v, const std::vector<int>& hosts) {
  std::vector<std::string> out;
  for (int h : hosts) out.push_back(v.HostName(h));
  return out;
}

}  // namespace

TEST_CASE("scheduler: default spread on host, balanced against the service", "[scheduler]") {
  World w;
  for (const char* n : {"web-1", "web-2", "web-3"}) w.Host(n, 4096, 8192);
  w.Task("web-1", "web", 256, 256);
  w.Task("web-1", "web", 256, 256);
  w.Task("web-2", "api", 256, 256);  // another service does not count
  ClusterView v(w.cluster, w.observed);
  auto p = Place(v, Request("web", 256, 256), 5);
  CHECK(p.unplaced == 0);
  CHECK(Names(v, p.hosts) == std::vector<std::string>{"web-2", "web-3", "web-2", "web-3", "web-1"});
  CHECK(v.ServiceTasksOn("web", 0) == 3);
  CHECK(v.ServiceTasksOn("web", 1) == 2);
  CHECK(v.ServiceTasks("web") == 7);
  CHECK(v.Free(1).cpu == 4096 - 3 * 256);
  CHECK(v.TasksOn(1) == 3);
}

TEST_CASE("scheduler: spread on an attribute balances its values", "[scheduler]") {
  World w;
  w.Host("web-1", 4096, 8192, {{"zone", "a"}});
  w.Host("web-2", 4096, 8192, {{"zone", "a"}});
  w.Host("web-3", 4096, 8192, {{"zone", "b"}});
  w.Host("web-4", 4096, 8192, {{"zone", "c"}});
  w.Task("web-3", "web", 100, 100);
  ClusterView v(w.cluster, w.observed);
  auto r = Request("web", 100, 100);
  r.strategies = {Strategy("spread", "attribute:zone")};
  auto p = Place(v, r, 5);
  REQUIRE(p.unplaced == 0);
  // zone b already has one: a and c first; then a, b, c level; the second task of
  // zone a goes to the host of a without one (fewest tasks of the service).
  CHECK(Names(v, p.hosts) == std::vector<std::string>{"web-1", "web-4", "web-2", "web-3", "web-4"});
  std::map<std::string, int> per_zone;
  for (int h = 0; h < v.size(); ++h)
    per_zone[v.Attributes(h).at("zone")] += v.ServiceTasksOn("web", h);
  CHECK(per_zone == std::map<std::string, int>{{"a", 2}, {"b", 2}, {"c", 2}});
}

TEST_CASE("scheduler: spread by zone, then binpack on memory breaks the ties", "[scheduler]") {
  World w;
  w.Host("web-1", 4096, 4096, {{"zone", "a"}});
  w.Host("web-2", 4096, 1024, {{"zone", "a"}});
  w.Host("web-3", 4096, 2048, {{"zone", "b"}});
  w.Host("web-4", 4096, 1000, {{"zone", "b"}});
  ClusterView v(w.cluster, w.observed);
  auto r = Request("web", 0, 512);
  r.strategies = {Strategy("spread", "attribute:zone"), Strategy("binpack", "memory")};
  auto p = Place(v, r, 4);
  REQUIRE(p.unplaced == 0);
  // Zones tie: binpack picks the least memory of all, web-4 (1000, zone b); then zone a's
  // least, web-2 (1024); zones tie again: web-2 (512 left; web-4's 488 does not fit);
  // zone b is behind: web-3.
  CHECK(Names(v, p.hosts) == std::vector<std::string>{"web-4", "web-2", "web-2", "web-3"});
  auto more = Place(v, r, 2);
  // Tie (2-2) between web-1 (4096) and web-3 (1536): web-3, then zone a's web-1.
  CHECK(Names(v, more.hosts) == std::vector<std::string>{"web-3", "web-1"});
}

TEST_CASE("scheduler: binpack on cpu takes the least remaining that fits", "[scheduler]") {
  World w;
  w.Host("web-1", 1024, 8192);
  w.Host("web-2", 512, 8192);
  w.Host("web-3", 2048, 8192);
  w.Host("web-4", 200, 8192);  // too small: never chosen
  ClusterView v(w.cluster, w.observed);
  auto r = Request("batch", 256, 64);
  r.strategies = {Strategy("binpack", "cpu")};
  auto p = Place(v, r, 7);
  CHECK(Names(v, p.hosts) ==
        std::vector<std::string>{"web-2", "web-2", "web-1", "web-1", "web-1", "web-1", "web-3"});
  CHECK(v.Free(1).cpu == 0);
  CHECK(v.Free(3).cpu == 200);
}

TEST_CASE("scheduler: random is seeded, deterministic and feasible", "[scheduler]") {
  World w;
  for (int i = 1; i <= 10; ++i) w.Host("web-" + std::to_string(i), i <= 2 ? 100 : 4096, 8192);
  auto run = [&](std::uint64_t seed) {
    ClusterView v(w.cluster, w.observed);
    auto r = Request("web", 256, 64);
    r.strategies = {Strategy("random")};
    r.seed = seed;
    return Place(v, r, 30).hosts;
  };
  auto a = run(SeedFor("rev-1", "web"));
  CHECK(a == run(SeedFor("rev-1", "web")));
  CHECK(a != run(SeedFor("rev-2", "web")));
  CHECK(SeedFor("rev-1", "web") != SeedFor("rev-1", "api"));
  std::map<int, int> per_host;
  for (int h : a) per_host[h]++;
  CHECK(per_host.count(0) == 0);  // web-1 and web-2 are too small
  CHECK(per_host.count(1) == 0);
  CHECK(per_host.size() >= 4);  // random, not piled on one host
}

TEST_CASE("scheduler: distinctInstance and memberOf filter hosts, with reasons", "[scheduler]") {
  World w;
  w.Host("web-1", 4096, 8192, {{"zone", "a"}});
  w.Host("web-2", 4096, 8192, {{"zone", "b"}});
  w.Host("web-3", 4096, 8192, {{"zone", "a"}});
  ClusterView v(w.cluster, w.observed);
  auto r = Request("web", 256, 256);
  r.constraints = {Constraint("distinctInstance"), Constraint("memberOf", "attribute:zone == a")};
  auto p = Place(v, r, 3);
  CHECK(Names(v, p.hosts) == std::vector<std::string>{"web-1", "web-3"});
  CHECK(p.unplaced == 1);
  CHECK(p.reasons == std::vector<std::string>{"web-1: distinctInstance",
                                              "web-2: memberOf attribute:zone == a",
                                              "web-3: distinctInstance"});
  CHECK(Eligible(v, r, 0));
  CHECK_FALSE(Eligible(v, r, 1));
}

TEST_CASE("scheduler: memberOf on task groups and task counts follows placements", "[scheduler]") {
  World w;
  for (const char* n : {"web-1", "web-2", "web-3"}) w.Host(n, 4096, 8192);
  w.Task("web-1", "db", 256, 256);
  ClusterView v(w.cluster, w.observed);
  auto r = Request("web", 256, 256);
  r.constraints = {Constraint("memberOf", "not(task:group == db) and runningTasksCount < 2")};
  auto p = Place(v, r, 5);
  CHECK(Names(v, p.hosts) == std::vector<std::string>{"web-2", "web-3", "web-2", "web-3"});
  CHECK(p.unplaced == 1);
  CHECK(p.reasons ==
        std::vector<std::string>{
            "web-1: memberOf not (task:group == service:db) and runningTasksCount < 2",
            "web-2: memberOf not (task:group == service:db) and runningTasksCount < 2",
            "web-3: memberOf not (task:group == service:db) and runningTasksCount < 2"});
  // Stopping the db task frees web-1 for one more.
  TaskDemand db;
  db.cpu = 256;
  db.memory = 256;
  v.RemoveTask(0, "db", db);
  CHECK(Names(v, Place(v, r, 1).hosts) == std::vector<std::string>{"web-1"});
}

TEST_CASE("scheduler: static host ports conflict", "[scheduler]") {
  World w;
  for (const char* n : {"web-1", "web-2", "web-3"}) w.Host(n, 4096, 8192);
  w.Task("web-1", "api", 0, 0, {{80, "tcp"}});
  w.Task("web-3", "dns", 0, 0, {{53, "udp"}});
  ClusterView v(w.cluster, w.observed);
  CHECK_FALSE(v.PortFree(0, {80, "tcp"}));
  CHECK(v.PortFree(0, {80, "udp"}));
  auto r = Request("web", 10, 10);
  r.demand.static_ports = {{53, "udp"}, {80, "tcp"}};
  auto p = Place(v, r, 2);
  CHECK(Names(v, p.hosts) == std::vector<std::string>{"web-2"});
  CHECK(p.unplaced == 1);
  CHECK(p.reasons == std::vector<std::string>{"web-1: port 80 in use", "web-2: port 53/udp in use",
                                              "web-3: port 53/udp in use"});
  // Removing a task gives its ports back.
  TaskDemand api;
  api.static_ports = {{80, "tcp"}};
  v.RemoveTask(0, "api", api);
  CHECK(v.PortFree(0, {80, "tcp"}));
  CHECK(Names(v, Place(v, r, 1).hosts) == std::vector<std::string>{"web-1"});
}

TEST_CASE("scheduler: dynamic ports need a free port in the ephemeral range", "[scheduler]") {
  World w;
  w.Host("web-1", 4096, 8192);
  w.Host("web-2", 4096, 8192);
  ClusterView v(w.cluster, w.observed);
  TaskDemand hog;
  hog.dynamic_tcp = kLastDynamicPort - kFirstDynamicPort;  // all but one port
  v.AddTask(0, "hog", hog);
  TaskDemand other;
  other.static_ports = {{kFirstDynamicPort, "tcp"}};  // a static port inside the range
  v.AddTask(1, "other", other);
  auto r = Request("web", 1, 1);
  r.demand.dynamic_tcp = 2;
  r.demand.dynamic_udp = 1;
  auto p = Place(v, r, 1);
  CHECK(Names(v, p.hosts) == std::vector<std::string>{"web-2"});
  r.demand.dynamic_tcp = 1;
  auto q = Place(v, r, 2);
  CHECK(Names(v, q.hosts) == std::vector<std::string>{"web-1", "web-2"});
  CHECK(PlaceOn(v, r, 0) == "web-1: no free dynamic tcp port");
  r.demand.dynamic_tcp = 0;
  CHECK_FALSE(PlaceOn(v, r, 0));  // udp ports are counted apart: still plenty
  TaskDemand udp_hog;
  udp_hog.dynamic_udp = kLastDynamicPort - kFirstDynamicPort;
  v.AddTask(1, "hog", udp_hog);
  CHECK(PlaceOn(v, r, 1) == "web-2: no free dynamic udp port");
}

TEST_CASE("scheduler: reasons name the state and the resource, exactly", "[scheduler]") {
  World w;
  w.Host("web-1", 4096, 8192, {}, model::HostState::kActive, /*reachable=*/false);
  w.Host("web-2", 4096, 812);
  w.Host("web-3", 4096, 8192, {}, model::HostState::kDraining);
  w.Host("web-4", 768, 8192);
  w.Task("web-2", "api", 0, 512);
  w.Task("web-4", "api", 256, 0);
  ClusterView v(w.cluster, w.observed);
  CHECK_FALSE(v.Reachable(0));
  CHECK(v.Draining(2));
  auto r = Request("web", 1024, 512);
  auto p = Place(v, r, 2);
  CHECK(p.hosts.empty());
  CHECK(p.unplaced == 2);
  CHECK(p.reasons == std::vector<std::string>{"web-1: unreachable", "web-2: memory 512 > 300 free",
                                              "web-3: draining", "web-4: cpu 1024 > 512 free"});
  CHECK(PlaceOn(v, r, 1) == "web-2: memory 512 > 300 free");
  CHECK_FALSE(PlaceOn(v, Request("web", 10, 10), 1));
  CHECK(v.ServiceTasksOn("web", 1) == 1);
  CHECK(v.FindHost("web-4") == 3);
  CHECK(v.FindHost("nope") == -1);
}

TEST_CASE("scheduler: scale-in with spread keeps balance", "[scheduler]") {
  World w;
  w.Host("web-1", 4096, 8192, {{"zone", "a"}});
  w.Host("web-2", 4096, 8192, {{"zone", "a"}});
  w.Host("web-3", 4096, 8192, {{"zone", "b"}});
  ClusterView v(w.cluster, w.observed);
  TaskDemand d;
  d.cpu = 100;
  std::vector<VictimCandidate> cands;
  for (int h : {0, 0, 0, 1, 2, 2}) {
    v.AddTask(h, "web", d);
    cands.push_back({h, d});
  }
  auto r = Request("web", 100, 0);
  auto victims = ChooseVictims(v, r, cands, 3);
  // web-1 has 3 -> 2 (first candidate), then web-1/web-3 tie at 2: web-1's next candidate.
  CHECK(victims == std::vector<int>{0, 1, 4});
  CHECK(v.ServiceTasksOn("web", 0) == 1);
  CHECK(v.ServiceTasksOn("web", 1) == 1);
  CHECK(v.ServiceTasksOn("web", 2) == 1);
  CHECK(v.Free(0).cpu == 4096 - 100);

  World z = w;
  ClusterView vz(z.cluster, z.observed);
  for (int h : {0, 0, 0, 1, 2, 2}) vz.AddTask(h, "web", d);
  r.strategies = {Strategy("spread", "attribute:zone"), Strategy("spread", "host")};
  // Zone a has 4, b 2: web-1 (3 of zone a's 4), web-1 again (2 vs web-2's 1); then the
  // zones tie at 2 and spread on host picks web-3 (2 tasks).
  CHECK(ChooseVictims(vz, r, cands, 3) == std::vector<int>{0, 1, 4});
  CHECK(vz.ServiceTasks("web") == 3);
  std::vector<VictimCandidate> left = {cands[2], cands[3], cands[5]};
  CHECK(ChooseVictims(vz, r, left, 10).size() == 3);  // no more than there are
  CHECK(vz.ServiceTasks("web") == 0);
}

TEST_CASE("scheduler: scale-in with binpack frees the host left with most free", "[scheduler]") {
  World w;
  w.Host("web-1", 4096, 2048);
  w.Host("web-2", 4096, 4096);
  w.Host("web-3", 4096, 1024);
  ClusterView v(w.cluster, w.observed);
  TaskDemand small, big;
  small.memory = 256;
  big.memory = 1024;
  v.AddTask(0, "web", small);
  v.AddTask(1, "web", big);
  v.AddTask(2, "web", small);
  std::vector<VictimCandidate> cands = {{0, small}, {1, big}, {2, small}};
  auto r = Request("web", 0, 256);
  r.strategies = {Strategy("binpack", "memory")};
  // After the stop: web-1 2048, web-2 4096, web-3 1024 free -> web-2, then web-1.
  CHECK(ChooseVictims(v, r, cands, 2) == std::vector<int>{1, 0});
  CHECK(v.Free(1).memory == 4096);
}

TEST_CASE("scheduler: DAEMON puts one task on every eligible host", "[scheduler]") {
  World w;
  w.Host("web-1", 4096, 8192, {{"role", "edge"}});
  w.Host("web-2", 4096, 8192, {{"role", "edge"}});
  w.Host("web-3", 4096, 100, {{"role", "edge"}});
  w.Host("web-4", 4096, 8192, {{"role", "edge"}}, model::HostState::kDraining);
  w.Host("web-5", 4096, 8192, {{"role", "edge"}}, model::HostState::kActive, false);
  w.Host("web-6", 4096, 8192, {{"role", "db"}});
  w.Task("web-2", "logs", 128, 128);
  ClusterView v(w.cluster, w.observed);
  auto r = Request("logs", 128, 128);
  r.constraints = {Constraint("memberOf", "attribute:role == edge")};
  auto d = PlaceDaemon(v, r);
  CHECK(Names(v, d.hosts) == std::vector<std::string>{"web-1"});
  CHECK(d.reasons == std::vector<std::string>{"web-3: memory 128 > 100 free"});
  CHECK(v.ServiceTasks("logs") == 2);
  CHECK(v.Free(0).memory == 8192 - 128);
  // Placed first, daemons take their share before replicas are placed.
  auto replicas = Place(v, Request("web", 0, 8100), 3);
  CHECK(Names(v, replicas.hosts) == std::vector<std::string>{"web-6"});
  CHECK(replicas.unplaced == 2);
}

TEST_CASE("scheduler: demand of a task definition", "[scheduler]") {
  model::TaskDefinition td;
  td.family = "web";
  model::ContainerDefinition app;
  app.name = "app";
  app.cpu = 256;
  app.memory = 512;
  app.memory_reservation = 128;
  app.port_mappings = {{80, 8080, "tcp", {}}, {8081, 0, "tcp", {}}, {53, 0, "udp", {}}};
  td.containers = {app};
  auto d = DemandOf(td);
  CHECK(d.cpu == 256);
  CHECK(d.memory == 128);
  CHECK(d.static_ports == std::vector<observe::HostPort>{{8080, "tcp"}});
  CHECK(d.dynamic_tcp == 1);
  CHECK(d.dynamic_udp == 1);
  td.network_mode = model::NetworkMode::kHost;
  auto host = DemandOf(td);
  CHECK(host.static_ports ==
        std::vector<observe::HostPort>{{53, "udp"}, {80, "tcp"}, {8081, "tcp"}});
  CHECK(host.dynamic_tcp == 0);
  td.network_mode = model::NetworkMode::kNone;
  CHECK(DemandOf(td).static_ports.empty());
}

}  // namespace stowage::plan
