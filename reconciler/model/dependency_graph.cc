#include "model/dependency_graph.h"

#include <algorithm>
#include <map>
#include <utility>

namespace stowage::model {
namespace {

// Each node's edges as node indexes (-1: skipped).
std::vector<std::vector<long>> Resolve(const std::vector<GraphNode>& nodes) {
  std::map<std::string, long> index;
  for (std::size_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i].name, long(i));
  std::vector<std::vector<long>> out(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& name : nodes[i].depends_on) {
      auto it = index.find(name);
      out[i].push_back(it == index.end() || it->second == long(i) ? -1 : it->second);
    }
  }
  return out;
}

}  // namespace

std::vector<GraphCycle> FindCycles(const std::vector<GraphNode>& nodes) {
  enum State { kUnvisited, kOnStack, kDone };
  const auto edges = Resolve(nodes);
  std::vector<State> state(nodes.size(), kUnvisited);
  std::vector<GraphCycle> cycles;
  // The search path: (node, next edge to follow).
  std::vector<std::pair<std::size_t, std::size_t>> stack;
  for (std::size_t root = 0; root < nodes.size(); ++root) {
    if (state[root] != kUnvisited) continue;
    state[root] = kOnStack;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next == edges[node].size()) {
        state[node] = kDone;
        stack.pop_back();
        continue;
      }
      const std::size_t edge = next++;
      const long target = edges[node][edge];
      if (target < 0) continue;
      const auto t = static_cast<std::size_t>(target);
      if (state[t] == kUnvisited) {
        state[t] = kOnStack;
        stack.push_back({t, 0});
      } else if (state[t] == kOnStack) {
        GraphCycle cycle{node, edge, {}};
        auto from = std::find_if(stack.begin(), stack.end(),
                                 [&](const auto& frame) { return frame.first == t; });
        for (; from != stack.end(); ++from) cycle.path.push_back(nodes[from->first].name);
        cycle.path.push_back(nodes[t].name);
        cycles.push_back(std::move(cycle));
      }
    }
  }
  return cycles;
}

std::string CycleText(const GraphCycle& cycle) {
  std::string out;
  for (const auto& name : cycle.path) out += (out.empty() ? "" : " -> ") + name;
  return out;
}

std::vector<std::vector<std::string>> Waves(const std::vector<GraphNode>& nodes) {
  const auto edges = Resolve(nodes);
  // Kahn's algorithm, dependencies first: a node's wave is one past its deepest dependency's.
  std::vector<std::vector<std::size_t>> dependents(nodes.size());
  std::vector<std::size_t> waiting(nodes.size(), 0);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (long d : edges[i]) {
      if (d < 0) continue;
      dependents[static_cast<std::size_t>(d)].push_back(i);
      ++waiting[i];
    }
  }
  std::vector<std::size_t> wave(nodes.size(), 0), ready;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (waiting[i] == 0) ready.push_back(i);
  }
  std::vector<bool> placed(nodes.size(), false);
  std::size_t deepest = 0;
  while (!ready.empty()) {
    const std::size_t n = ready.back();
    ready.pop_back();
    placed[n] = true;
    deepest = std::max(deepest, wave[n]);
    for (std::size_t dep : dependents[n]) {
      wave[dep] = std::max(wave[dep], wave[n] + 1);
      if (--waiting[dep] == 0) ready.push_back(dep);
    }
  }
  const bool any_placed = std::any_of(placed.begin(), placed.end(), [](bool p) { return p; });
  const bool all_placed = std::all_of(placed.begin(), placed.end(), [](bool p) { return p; });
  std::vector<std::vector<std::string>> out((any_placed ? deepest + 1 : 0) + (all_placed ? 0 : 1));
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    out[placed[i] ? wave[i] : out.size() - 1].push_back(nodes[i].name);
  }
  return out;
}

}  // namespace stowage::model
