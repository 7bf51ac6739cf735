// Place / PlaceOn / PlaceDaemon / ChooseVictims: ECS placement over a ClusterView.
#include "plan/scheduler.h"

#include <algorithm>
#include <limits>

#include "util/hash.h"

namespace stowage::plan {
namespace {

std::uint64_t SplitMix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string PortText(const observe::HostPort& p) {
  return "port " + std::to_string(p.port) + (p.protocol == "tcp" ? "" : "/" + p.protocol);
}

// Keeps the entries of `items` whose score is the least (or, with `most`, the greatest).
template <typename T, typename Score>
void KeepBest(std::vector<T>& items, bool most, Score score) {
  if (items.size() < 2) return;
  auto best = score(items[0]);
  for (const auto& it : items) {
    auto s = score(it);
    if (most ? s > best : s < best) best = s;
  }
  std::erase_if(items, [&](const T& it) { return score(it) != best; });
}

}  // namespace

std::uint64_t SeedFor(std::string_view source_revision, std::string_view service) {
  return Hasher().Add(source_revision).Add(service).Digest64();
}

// One request against one view: the per-call state Place and friends share.
class Scheduler {
 public:
  Scheduler(ClusterView& view, const PlacementRequest& request)
      : v_(view), r_(request), service_(view.Service(request.service)) {
    for (const auto& c : r_.constraints) {
      if (c.type == "distinctInstance") distinct_ = true;
      if (c.type == "memberOf") queries_.push_back(&v_.Compile(c.expression));
    }
    for (const auto& p : r_.demand.static_ports) {
      if (p.port >= kFirstDynamicPort && p.port <= kLastDynamicPort) {
        ++(p.protocol == "udp" ? need_dynamic_udp_ : need_dynamic_tcp_);
      }
    }
    need_dynamic_tcp_ += r_.demand.dynamic_tcp;
    need_dynamic_udp_ += r_.demand.dynamic_udp;
  }

  // Tasks of the request's service on host `h`.
  int TasksOn(int h) const {
    const auto& per_host = service_.per_host;
    auto it = std::lower_bound(per_host.begin(), per_host.end(), std::pair<int, int>{h, 0});
    return it != per_host.end() && it->first == h ? it->second : 0;
  }

  bool StateOk(int h) const { return v_.reachable_[h] != 0 && v_.draining_[h] == 0; }

  bool QueriesOk(int h) const {
    for (const auto* q : queries_) {
      if (!v_.QueryMatches(*q, h)) return false;
    }
    return true;
  }

  bool PortsOk(int h) const {
    if (v_.dynamic_free_tcp_[h] < need_dynamic_tcp_) return false;
    if (v_.dynamic_free_udp_[h] < need_dynamic_udp_) return false;
    for (const auto& p : r_.demand.static_ports) {
      if (!v_.PortFree(h, p)) return false;
    }
    return true;
  }

  // Everything but CPU and memory, which the placement loop checks itself.
  bool StaticOk(int h) const {
    return StateOk(h) && (!distinct_ || TasksOn(h) == 0) && PortsOk(h) && QueriesOk(h);
  }

  // Why the task does not fit on `h`, or nullopt when it does.
  std::optional<std::string> Reason(int h) const {
    const std::string& name = v_.names_[h];
    if (v_.reachable_[h] == 0) return name + ": unreachable";
    if (v_.draining_[h] != 0) return name + ": draining";
    for (const auto* q : queries_) {
      if (v_.QueryMatches(*q, h)) continue;
      return name + ": memberOf " + (q->query ? q->query->Describe() : q->error);
    }
    if (distinct_ && TasksOn(h) > 0) return name + ": distinctInstance";
    const TaskDemand& d = r_.demand;
    if (d.cpu > v_.cpu_free_[h]) {
      return name + ": cpu " + std::to_string(d.cpu) + " > " + std::to_string(v_.cpu_free_[h]) +
             " free";
    }
    if (d.memory > v_.memory_free_[h]) {
      return name + ": memory " + std::to_string(d.memory) + " > " +
             std::to_string(v_.memory_free_[h]) + " free";
    }
    for (const auto& p : d.static_ports) {
      if (!v_.PortFree(h, p)) return name + ": " + PortText(p) + " in use";
    }
    if (v_.dynamic_free_tcp_[h] < need_dynamic_tcp_) return name + ": no free dynamic tcp port";
    if (v_.dynamic_free_udp_[h] < need_dynamic_udp_) return name + ": no free dynamic udp port";
    return std::nullopt;
  }

  std::vector<std::string> Reasons() const {
    std::vector<std::string> out;
    for (int h = 0; h < v_.size(); ++h) {
      if (auto r = Reason(h)) out.push_back(std::move(*r));
    }
    return out;
  }

  void Commit(int h) { v_.Add(h, service_, r_.demand); }

  Placement Place(int count) {
    Placement out;
    if (count <= 0) return out;
    const int n = v_.size();
    auto& mask = v_.scratch_mask_;
    auto& counts = v_.scratch_count_;
    std::fill_n(mask.begin(), n, kUnknown);  // StaticOk on demand: Feasible()
    for (const auto& [h, c] : service_.per_host) counts[h] = c;
    PrepareStrategies();
    const int cpu = r_.demand.cpu;
    const int memory = r_.demand.memory;
    out.hosts.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      int h = has_random_ ? ChooseFromList(n, cpu, memory) : ChooseLexicographic(n, cpu, memory);
      if (h < 0) {
        out.unplaced = count - i;
        out.reasons = Reasons();
        break;
      }
      Commit(h);
      ++counts[h];
      for (auto& s : strategies_) {
        if (s.attribute != nullptr)
          ++v_.scratch_value_count_[s.offset + s.attribute->value_of_host[h]];
      }
      mask[h] = kUnknown;
      out.hosts.push_back(h);
    }
    for (const auto& [h, c] : service_.per_host) counts[h] = 0;
    return out;
  }

  bool Eligible(int h) const { return StateOk(h) && QueriesOk(h); }

  // Why `h` is not Eligible, without the host name; nullopt when it is.
  std::optional<std::string> Ineligibility(int h) const {
    if (v_.reachable_[h] == 0) return "unreachable";
    if (v_.draining_[h] != 0) return "draining";
    for (const auto* q : queries_) {
      if (!v_.QueryMatches(*q, h))
        return "memberOf " + (q->query ? q->query->Describe() : q->error);
    }
    return std::nullopt;
  }

  std::vector<int> ChooseVictims(const std::vector<VictimCandidate>& candidates, int count) {
    std::vector<int> pool(candidates.size());
    for (std::size_t i = 0; i < pool.size(); ++i) pool[i] = static_cast<int>(i);
    std::vector<int> chosen;
    std::vector<int> left;
    while (static_cast<int>(chosen.size()) < count && !pool.empty()) {
      left = pool;
      FilterVictims(candidates, left);
      int pick = left.front();
      chosen.push_back(pick);
      const VictimCandidate& c = candidates[static_cast<std::size_t>(pick)];
      v_.Remove(c.host, service_, c.usage);
      std::erase(pool, pick);
    }
    return chosen;
  }

 private:
  enum class Kind { kSpreadHost, kSpreadAttribute, kBinpackCpu, kBinpackMemory, kRandom };
  struct Strategy {
    Kind kind = Kind::kSpreadHost;
    const ClusterView::AttributeIndex* attribute = nullptr;  // kSpreadAttribute
    int offset = 0;  // of this attribute's value counts in scratch_value_count_
  };

  void PrepareStrategies() {
    strategies_.clear();
    int offset = 0;
    for (const auto& s : r_.strategies) {
      if (static_cast<int>(strategies_.size()) == kMaxStrategies) break;
      Strategy st;
      if (s.type == "binpack") {
        st.kind = s.field == "memory" ? Kind::kBinpackMemory : Kind::kBinpackCpu;
      } else if (s.type == "random") {
        st.kind = Kind::kRandom;
      } else if (s.field.rfind("attribute:", 0) == 0) {
        st.kind = Kind::kSpreadAttribute;
        st.attribute = &v_.Attribute(s.field.substr(10));
        st.offset = offset;
        offset += st.attribute->values;
      }
      strategies_.push_back(st);
    }
    if (strategies_.empty()) strategies_.push_back({});
    has_random_ = false;
    for (const auto& st : strategies_) has_random_ = has_random_ || st.kind == Kind::kRandom;
    auto& values = v_.scratch_value_count_;
    values.assign(static_cast<std::size_t>(offset), 0);
    for (const auto& st : strategies_) {
      if (st.attribute == nullptr) continue;
      for (const auto& [h, c] : service_.per_host) {
        values[static_cast<std::size_t>(st.offset + st.attribute->value_of_host[h])] += c;
      }
    }
  }

  std::uint64_t Random() {
    return SplitMix(r_.seed ^ SplitMix(static_cast<std::uint64_t>(service_.total) + draws_++));
  }

  // Place() keeps StaticOk per host in the mask, computed the first time a host
  // with enough CPU and memory is looked at (most hosts never are with spread on
  // host, and task:group queries are not cheap), again after a task lands there.
  static constexpr std::uint8_t kUnknown = 2;

  bool Feasible(std::uint8_t* mask, int h, int cpu, int memory) const {
    if (v_.cpu_free_[h] < cpu || v_.memory_free_[h] < memory) return false;
    if (mask[h] == kUnknown) mask[h] = StaticOk(h) ? 1 : 0;
    return mask[h] != 0;
  }

  // Fills the candidates with the feasible hosts the first strategy likes best (one
  // pass: a host scoring better than all before restarts the list).
  template <typename Score>
  void ScanBest(int n, int cpu, int memory, Score score) {
    auto& cand = v_.scratch_candidates_;
    auto* mask = v_.scratch_mask_.data();
    cand.clear();
    int best = std::numeric_limits<int>::max();
    for (int h = 0; h < n; ++h) {
      if (!Feasible(mask, h, cpu, memory)) continue;
      int sc = score(h);
      if (sc > best) continue;
      if (sc < best) {
        best = sc;
        cand.clear();
      }
      cand.push_back(h);
    }
  }

  void ScanFeasible(int n, int cpu, int memory) {
    const Strategy& s = strategies_.front();
    const int* counts = v_.scratch_count_.data();
    switch (s.kind) {
      case Kind::kSpreadHost:
        return ScanBest(n, cpu, memory, [counts](int h) { return counts[h]; });
      case Kind::kSpreadAttribute: {
        const int* values = v_.scratch_value_count_.data() + s.offset;
        const int* value_of = s.attribute->value_of_host.data();
        return ScanBest(n, cpu, memory, [=](int h) { return values[value_of[h]]; });
      }
      case Kind::kBinpackCpu:
        return ScanBest(n, cpu, memory, [this](int h) { return v_.cpu_free_[h]; });
      case Kind::kBinpackMemory:
        return ScanBest(n, cpu, memory, [this](int h) { return v_.memory_free_[h]; });
      case Kind::kRandom:
        return ScanBest(n, cpu, memory, [](int) { return 0; });
    }
  }

  int Score(const Strategy& s, int h) const {
    switch (s.kind) {
      case Kind::kSpreadHost:
        return v_.scratch_count_[h];
      case Kind::kSpreadAttribute:
        return v_.scratch_value_count_[s.offset + s.attribute->value_of_host[h]];
      case Kind::kBinpackCpu:
        return v_.cpu_free_[h];
      case Kind::kBinpackMemory:
        return v_.memory_free_[h];
      case Kind::kRandom:
        break;
    }
    return 0;
  }

  // Without `random`, filtering by each strategy in turn and then by the fewest tasks
  // of the service and the lowest index is a lexicographic minimum over the feasible
  // hosts: one pass, no list. -1 when no host is feasible.
  int ChooseLexicographic(int n, int cpu, int memory) {
    auto* mask = v_.scratch_mask_.data();
    const int* counts = v_.scratch_count_.data();
    const int k = static_cast<int>(strategies_.size());
    // Default strategy: the first host without a task of the service is the answer.
    const bool spread_host_only = k == 1 && strategies_[0].kind == Kind::kSpreadHost;
    int best_h = -1;
    int best[kMaxStrategies + 1];
    for (int h = 0; h < n; ++h) {
      if (!Feasible(mask, h, cpu, memory)) continue;
      int cmp = best_h < 0 ? -1 : 0;
      for (int j = 0; j < k && cmp == 0; ++j) {
        int sc = Score(strategies_[j], h);
        if (sc != best[j]) cmp = sc < best[j] ? -1 : 1;
      }
      if (cmp == 0 && counts[h] != best[k]) cmp = counts[h] < best[k] ? -1 : 1;
      if (cmp >= 0) continue;
      best_h = h;
      for (int j = 0; j < k; ++j) best[j] = Score(strategies_[j], h);
      best[k] = counts[h];
      if (spread_host_only && best[k] == 0) break;
    }
    return best_h;
  }

  int ChooseFromList(int n, int cpu, int memory) {
    ScanFeasible(n, cpu, memory);
    auto& cand = v_.scratch_candidates_;
    return cand.empty() ? -1 : Choose(cand);
  }

  // The candidates already passed the first strategy (ScanFeasible).
  int Choose(std::vector<int>& cand) {
    const auto& counts = v_.scratch_count_;
    const auto& values = v_.scratch_value_count_;
    bool first = strategies_.front().kind != Kind::kRandom;
    for (const auto& s : strategies_) {
      if (cand.size() < 2) break;
      if (first) {
        first = false;
        continue;
      }
      switch (s.kind) {
        case Kind::kSpreadHost:
          KeepBest(cand, false, [&](int h) { return counts[h]; });
          break;
        case Kind::kSpreadAttribute:
          KeepBest(cand, false,
                   [&](int h) { return values[s.offset + s.attribute->value_of_host[h]]; });
          break;
        case Kind::kBinpackCpu:
          KeepBest(cand, false, [&](int h) { return v_.cpu_free_[h]; });
          break;
        case Kind::kBinpackMemory:
          KeepBest(cand, false, [&](int h) { return v_.memory_free_[h]; });
          break;
        case Kind::kRandom: {
          int pick = cand[Random() % cand.size()];
          cand.assign(1, pick);
          break;
        }
      }
    }
    if (strategies_.back().kind != Kind::kSpreadHost) {
      KeepBest(cand, false, [&](int h) { return counts[h]; });
    }
    return cand.front();
  }

  void FilterVictims(const std::vector<VictimCandidate>& all, std::vector<int>& left) {
    auto host = [&](int i) { return all[static_cast<std::size_t>(i)].host; };
    std::vector<model::PlacementStrategy> defaults(1, {"spread", "host", {}});
    const auto& strategies = r_.strategies.empty() ? defaults : r_.strategies;
    for (const auto& s : strategies) {
      if (left.size() < 2) return;
      if (s.type == "binpack") {
        bool memory = s.field == "memory";
        KeepBest(left, true, [&](int i) {
          const auto& c = all[static_cast<std::size_t>(i)];
          return memory ? v_.memory_free_[c.host] + c.usage.memory
                        : v_.cpu_free_[c.host] + c.usage.cpu;
        });
      } else if (s.type == "random") {
        int pick = left[Random() % left.size()];
        left.assign(1, pick);
      } else if (s.field.rfind("attribute:", 0) == 0) {
        const auto& index = v_.Attribute(s.field.substr(10));
        std::vector<int> per_value(static_cast<std::size_t>(index.values), 0);
        for (const auto& [h, c] : service_.per_host) per_value[index.value_of_host[h]] += c;
        KeepBest(left, true, [&](int i) { return per_value[index.value_of_host[host(i)]]; });
      } else {
        KeepBest(left, true, [&](int i) { return TasksOn(host(i)); });
      }
    }
  }

  ClusterView& v_;
  const PlacementRequest& r_;
  ClusterView::ServiceCounts& service_;
  bool distinct_ = false;
  std::vector<const ClusterView::CompiledQuery*> queries_;
  int need_dynamic_tcp_ = 0;
  int need_dynamic_udp_ = 0;
  static constexpr int kMaxStrategies = 8;  // ECS allows 5
  std::vector<Strategy> strategies_;
  bool has_random_ = false;
  std::uint64_t draws_ = 0;
};

Placement Place(ClusterView& view, const PlacementRequest& request, int count) {
  return Scheduler(view, request).Place(count);
}

std::optional<std::string> PlaceOn(ClusterView& view, const PlacementRequest& request, int h) {
  Scheduler s(view, request);
  if (auto reason = s.Reason(h)) return reason;
  s.Commit(h);
  return std::nullopt;
}

bool Eligible(ClusterView& view, const PlacementRequest& request, int h) {
  return Scheduler(view, request).Eligible(h);
}

std::optional<std::string> Ineligibility(ClusterView& view, const PlacementRequest& request,
                                         int h) {
  return Scheduler(view, request).Ineligibility(h);
}

DaemonPlacement PlaceDaemon(ClusterView& view, const PlacementRequest& request) {
  DaemonPlacement out;
  Scheduler s(view, request);
  for (int h = 0; h < view.size(); ++h) {
    if (!s.Eligible(h) || view.ServiceTasksOn(request.service, h) > 0) continue;
    if (auto reason = s.Reason(h)) {
      out.reasons.push_back(std::move(*reason));
    } else {
      s.Commit(h);
      out.hosts.push_back(h);
    }
  }
  return out;
}

std::vector<int> ChooseVictims(ClusterView& view, const PlacementRequest& request,
                               const std::vector<VictimCandidate>& candidates, int count) {
  return Scheduler(view, request).ChooseVictims(candidates, count);
}

}  // namespace stowage::plan
