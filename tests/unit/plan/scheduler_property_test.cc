// Properties of placement over many generated clusters (seeded, reproducible).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "plan/scheduler.h"

namespace stowage::plan {
namespace {

struct Generated {
  model::Cluster cluster;
  observe::ObservedState observed;
  std::vector<PlacementRequest> requests;
};

Generated Generate(std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Generated g;
  g.cluster.name = "prop";
  int hosts = pick(2, 25);
  for (int i = 0; i < hosts; ++i) {
    model::Host h;
    h.name = "h" + std::to_string(i);
    h.attributes["zone"] = std::string(1, static_cast<char>('a' + pick(0, 2)));
    if (pick(0, 9) == 0) h.state = model::HostState::kDraining;
    g.cluster.hosts.push_back(h);
    observe::ObservedHost oh;
    oh.name = h.name;
    oh.state = h.state;
    oh.reachable = pick(0, 12) != 0;
    oh.capacity = {pick(512, 8192), pick(512, 16384)};
    g.observed.hosts.push_back(oh);
  }
  const char* fields[] = {"host", "attribute:zone"};
  for (int s = 0; s < pick(1, 8); ++s) {
    PlacementRequest r;
    r.service = "svc" + std::to_string(s);
    r.demand.cpu = pick(0, 1024);
    r.demand.memory = pick(1, 2048);
    if (pick(0, 3) == 0) r.demand.static_ports = {{8000 + pick(0, 3), "tcp"}};
    for (int k = pick(0, 2); k > 0; --k) {
      model::PlacementStrategy st;
      switch (pick(0, 2)) {
        case 0:
          st.type = "spread";
          st.field = fields[pick(0, 1)];
          break;
        case 1:
          st.type = "binpack";
          st.field = pick(0, 1) == 0 ? "cpu" : "memory";
          break;
        default:
          st.type = "random";
      }
      r.strategies.push_back(st);
    }
    if (pick(0, 2) == 0) r.constraints.push_back({"distinctInstance", "", {}});
    if (pick(0, 2) == 0) r.constraints.push_back({"memberOf", "attribute:zone != c", {}});
    r.seed = seed * 31u + static_cast<std::uint32_t>(s);
    g.requests.push_back(r);
  }
  return g;
}

}  // namespace

TEST_CASE("scheduler properties: capacity, ports, constraints, determinism", "[scheduler]") {
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    Generated g = Generate(seed);
    ClusterView v(g.cluster, g.observed);
    ClusterView again(g.cluster, g.observed);
    std::map<int, std::vector<observe::HostPort>> ports_on;
    for (const auto& r : g.requests) {
      auto p = Place(v, r, 12);
      CHECK(Place(again, r, 12).hosts == p.hosts);
      CHECK(p.hosts.size() + static_cast<std::size_t>(p.unplaced) == 12);
      if (p.unplaced > 0) CHECK(static_cast<int>(p.reasons.size()) == v.size());
      bool distinct = false;
      for (const auto& c : r.constraints) distinct = distinct || c.type == "distinctInstance";
      for (int h : p.hosts) {
        CHECK(v.Reachable(h));
        CHECK_FALSE(v.Draining(h));
        if (distinct) CHECK(v.ServiceTasksOn(r.service, h) == 1);
        if (!r.constraints.empty() && r.constraints.back().type == "memberOf") {
          CHECK(v.Attributes(h).at("zone") != "c");
        }
        for (const auto& port : r.demand.static_ports) ports_on[h].push_back(port);
      }
    }
    for (int h = 0; h < v.size(); ++h) {
      CHECK(v.Free(h).cpu >= 0);
      CHECK(v.Free(h).memory >= 0);
      auto& ports = ports_on[h];
      std::sort(ports.begin(), ports.end());
      CHECK(std::adjacent_find(ports.begin(), ports.end()) == ports.end());
    }
  }
}

TEST_CASE("scheduler properties: spread never leaves two values more than one apart",
          "[scheduler]") {
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    model::Cluster cluster;
    observe::ObservedState observed;
    int hosts = pick(1, 20);
    for (int i = 0; i < hosts; ++i) {
      model::Host h;
      h.name = "h" + std::to_string(i);
      h.attributes["zone"] = std::string(1, static_cast<char>('a' + pick(0, 3)));
      cluster.hosts.push_back(h);
      observe::ObservedHost oh;
      oh.name = h.name;
      oh.reachable = true;
      oh.capacity = {1 << 20, 1 << 20};  // capacity allows
      observed.hosts.push_back(oh);
    }
    bool by_zone = pick(0, 1) == 1;
    PlacementRequest r;
    r.service = "web";
    r.demand = {10, 10, {}, 0, 0};
    model::PlacementStrategy st;
    st.type = "spread";
    st.field = by_zone ? "attribute:zone" : "instanceId";
    r.strategies = {st};
    ClusterView v(cluster, observed);
    int total = 0;
    for (int round = 0; round < 5; ++round) {
      int n = pick(1, 30);
      total += n;
      REQUIRE(Place(v, r, n).unplaced == 0);
      std::map<std::string, int> per_value;
      for (int h = 0; h < v.size(); ++h) {
        per_value[by_zone ? v.Attributes(h).at("zone") : v.HostName(h)] +=
            v.ServiceTasksOn("web", h);
      }
      auto [lo, hi] = std::minmax_element(per_value.begin(), per_value.end(),
                                          [](auto& a, auto& b) { return a.second < b.second; });
      CHECK(hi->second - lo->second <= 1);
      CHECK(v.ServiceTasks("web") == total);
    }
    // Scale-in keeps the balance too.
    std::vector<VictimCandidate> cands;
    for (int h = 0; h < v.size(); ++h) {
      for (int i = 0; i < v.ServiceTasksOn("web", h); ++i) cands.push_back({h, r.demand});
    }
    auto victims = ChooseVictims(v, r, cands, total / 2);
    CHECK(static_cast<int>(victims.size()) == total / 2);
    std::map<std::string, int> per_value;
    for (int h = 0; h < v.size(); ++h) {
      per_value[by_zone ? v.Attributes(h).at("zone") : v.HostName(h)] += v.ServiceTasksOn("web", h);
    }
    auto [lo, hi] = std::minmax_element(per_value.begin(), per_value.end(),
                                        [](auto& a, auto& b) { return a.second < b.second; });
    CHECK(hi->second - lo->second <= 1);
  }
}

}  // namespace stowage::plan
