// Pieces the check files share; not part of the check/ interface.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "diag/diagnostic.h"
#include "model/desired_state.h"
#include "model/task_definition.h"

namespace stowage::check {

// ` (did you mean "x"?)` when a candidate is close to `word`, else "".
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

template <typename V>
std::vector<std::string> Keys(const std::map<std::string, V>& map) {
  std::vector<std::string> out;
  for (const auto& [k, v] : map) out.push_back(k);
  return out;
}

// Names that must be unique; reports a repeat at its place, pointing at the first:
// `FIELD: KIND "name" is already defined at FILE:LINE:COL`.
class UniqueNames {
 public:
  // `kind` may be empty ("family: \"web\" is already defined at ...").
  UniqueNames(std::string field, std::string kind)
      : field_(std::move(field)), kind_(std::move(kind)) {}
  void Add(const std::string& name, const Position& where, Diagnostics& diags);
  bool Contains(const std::string& name) const { return first_.count(name) > 0; }
  std::vector<std::string> Names() const { return Keys(first_); }

 private:
  std::string field_;
  std::string kind_;
  std::map<std::string, Position> first_;
};

// `FIELD: N NOUN, at most MAX are allowed` when count > max; true when within.
bool CheckLimit(const char* field, const char* noun, size_t count, int max, const Position& where,
                Diagnostics& diags);

std::vector<std::string> ContainerNames(const model::TaskDefinition& td);

// dependsOn: targets exist, no self-dependency, no cycle, conditions allowed.
void CheckDependencies(const model::TaskDefinition& td, Diagnostics& diags);

// dependsOn between the services of a source: names resolve, once each, no
// cycle, conditions that can hold (service_dependency_checks.cc).
void CheckServiceDependencies(const model::DesiredState& state, Diagnostics& diags);

// One placement constraint's expression: memberOf needs a valid one,
// distinctInstance takes none. `fallback` places it when pc has no position.
void CheckConstraintExpression(const model::PlacementConstraint& pc, const Position& fallback,
                               Diagnostics& diags);

}  // namespace stowage::check
