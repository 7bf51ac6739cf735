// Did-you-mean: the closest known name to a misspelt one.
//
// Used for unknown fields (`desiredCont` -> `desiredCount`) and for names that
// do not resolve (a service's taskDefinition). Distance is Damerau-Levenshtein
// (optimal string alignment), case-insensitive; a candidate is suggested only
// when it is close enough to be a plausible typo.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stowage {

// Edit distance with adjacent transpositions, ASCII case-insensitive.
int EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when its distance is at most
// max(1, min(3, word.size() / 3)); ties go to the earlier candidate.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace stowage
