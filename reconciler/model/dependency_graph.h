// Dependency graphs by name: the cycles of a dependsOn graph (containers of a
// task definition, services of a source) and the waves a release deploys in.
//
// Pure and iterative (a hostile source with a 100,000-long chain does not
// overflow the stack). A node is a name and the names it depends on, in the
// order written; an edge to a name that is no node, or to the node itself, is
// skipped here (the checks report those on their own).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace stowage::model {

struct GraphNode {
  std::string name;
  std::vector<std::string> depends_on;
};

// One cycle, found at the edge that closes it.
struct GraphCycle {
  std::size_t node = 0;           // index in the nodes of the edge's start
  std::size_t edge = 0;           // index of the edge in that node's depends_on
  std::vector<std::string> path;  // {"web", "api", "web"}
};

// Depth-first from each node in order, edges in order: every back edge is
// one cycle (so a graph with one cycle gives exactly one).
std::vector<GraphCycle> FindCycles(const std::vector<GraphNode>& nodes);

// "web -> api -> web".
std::string CycleText(const GraphCycle& cycle);

// Longest-path layering: wave 0 holds the nodes that depend on nothing, wave
// k those whose deepest dependency is in wave k-1, each wave in node order.
// Nodes on or behind a cycle go in one last wave.
std::vector<std::vector<std::string>> Waves(const std::vector<GraphNode>& nodes);

}  // namespace stowage::model
