#include "check/internal.h"

#include "check/position.h"
#include "query/query.h"
#include "util/suggest.h"

namespace stowage::check {

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  auto best = ClosestMatch(word, candidates);
  return best ? " (did you mean " + Quote(*best) + "?)" : "";
}

void UniqueNames::Add(const std::string& name, const Position& where, Diagnostics& diags) {
  auto [it, inserted] = first_.emplace(name, where);
  if (inserted) return;
  diags.Error(where, field_ + ": " + (kind_.empty() ? "" : kind_ + " ") + Quote(name) +
                         " is already defined at " + Where(it->second, where));
}

bool CheckLimit(const char* field, const char* noun, size_t count, int max, const Position& where,
                Diagnostics& diags) {
  if (count <= static_cast<size_t>(max)) return true;
  diags.Error(where, std::string(field) + ": " + std::to_string(count) + " " + noun + ", at most " +
                         std::to_string(max) + " are allowed");
  return false;
}

std::vector<std::string> ContainerNames(const model::TaskDefinition& td) {
  std::vector<std::string> out;
  for (const auto& c : td.containers) out.push_back(c.name);
  return out;
}

void CheckConstraintExpression(const model::PlacementConstraint& pc, const Position& fallback,
                               Diagnostics& diags) {
  const auto& where = Best(pc.position, fallback);
  if (pc.type == "distinctInstance") {
    if (!pc.expression.empty()) {
      diags.Error(where, "expression: distinctInstance takes no expression");
    }
    return;
  }
  if (pc.expression.empty()) {
    diags.Error(where, "expression: memberOf needs an expression");
    return;
  }
  query::ParseError error;
  if (!query::ParseQuery(pc.expression, &error).ok()) {
    diags.Error(where, "expression: " + error.message + " at column " +
                           std::to_string(error.column) + " of " + Quote(pc.expression));
  }
}

}  // namespace stowage::check
