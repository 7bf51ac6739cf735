// Did-you-mean suggestions for misspelt names (unknown fields, families ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stowage::load {

// Edit distance (insert, delete, substitute, swap of neighbours), ignoring case.
size_t EditDistance(std::string_view a, std::string_view b);

// The closest candidate when it is close enough to be a likely typo of `name`
// (distance ≤ 1 for short names, ≤ 2 from 6 characters, ≤ 3 from 12), else nullopt.
std::optional<std::string> Suggest(std::string_view name,
                                   const std::vector<std::string>& candidates);

}  // namespace stowage::load
