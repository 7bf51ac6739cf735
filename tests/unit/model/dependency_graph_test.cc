#include <catch2/catch.hpp>

#include "model/dependency_graph.h"

namespace stowage::model {
namespace {

using Waves_ = std::vector<std::vector<std::string>>;

std::vector<std::string> CycleTexts(const std::vector<GraphNode>& nodes) {
  std::vector<std::string> out;
  for (const auto& c : FindCycles(nodes)) out.push_back(CycleText(c));
  return out;
}

}  // namespace

TEST_CASE("FindCycles: one cycle per closing edge, printed from where it starts", "[graph]") {
  std::vector<GraphNode> nodes = {
      {"web", {"api"}}, {"api", {"db", "web"}}, {"db", {}}, {"a", {"b"}}, {"b", {"a"}}};
  auto cycles = FindCycles(nodes);
  REQUIRE(cycles.size() == 2);
  CHECK(CycleText(cycles[0]) == "web -> api -> web");
  CHECK(cycles[0].node == 1);  // api's second edge closes it
  CHECK(cycles[0].edge == 1);
  CHECK(CycleText(cycles[1]) == "a -> b -> a");
  CHECK(cycles[1].node == 4);
  CHECK(cycles[1].edge == 0);
}

TEST_CASE("FindCycles skips unknown names and self edges", "[graph]") {
  CHECK(CycleTexts({{"a", {"a", "nothing", ""}}, {"b", {"a"}}}).empty());
  CHECK(CycleTexts({}).empty());
}

TEST_CASE("Waves: longest path layering, each wave in node order", "[graph]") {
  CHECK(Waves({}).empty());
  CHECK(Waves({{"c", {}}, {"a", {}}}) == Waves_{{"c", "a"}});
  // d depends on a (wave 0) and c (wave 2): it waits for the deepest.
  CHECK(Waves({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {"a", "c"}}, {"e", {"unknown"}}}) ==
        Waves_{{"a", "e"}, {"b"}, {"c"}, {"d"}});
}

TEST_CASE("Waves: nodes on or behind a cycle go last", "[graph]") {
  CHECK(Waves({{"a", {"b"}}, {"b", {"a"}}}) == Waves_{{"a", "b"}});
  CHECK(Waves({{"x", {}}, {"a", {"b"}}, {"b", {"a"}}, {"c", {"a"}}}) ==
        Waves_{{"x"}, {"a", "b", "c"}});
}

TEST_CASE("a chain of 100,000 nodes neither overflows the stack nor takes long", "[graph]") {
  std::vector<GraphNode> nodes;
  for (int i = 0; i < 100000; ++i) {
    nodes.push_back({"s" + std::to_string(i), {}});
    if (i > 0) nodes.back().depends_on.push_back("s" + std::to_string(i - 1));
  }
  CHECK(FindCycles(nodes).empty());
  CHECK(Waves(nodes).size() == 100000);
  nodes.front().depends_on.push_back("s99999");
  auto cycles = FindCycles(nodes);
  REQUIRE(cycles.size() == 1);
  CHECK(cycles[0].path.size() == 100001);
}

}  // namespace stowage::model
