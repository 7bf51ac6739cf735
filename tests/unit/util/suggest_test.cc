#include <catch2/catch.hpp>

#include "util/suggest.h"

namespace stowage {

TEST_CASE("edit distance counts transpositions as one edit", "[util]") {
  CHECK(EditDistance("desiredCont", "desiredCount") == 1);
  CHECK(EditDistance("famliy", "family") == 1);
  CHECK(EditDistance("Image", "image") == 0);
  CHECK(EditDistance("", "abc") == 3);
  CHECK(EditDistance("kitten", "sitting") == 3);
}

TEST_CASE("closest match suggests plausible typos only", "[util]") {
  const std::vector<std::string> fields = {"desiredCount", "serviceName", "taskDefinition"};
  CHECK(ClosestMatch("desiredCont", fields) == "desiredCount");
  CHECK(ClosestMatch("taskdefinition", fields) == "taskDefinition");
  CHECK_FALSE(ClosestMatch("replicas", fields).has_value());
  CHECK_FALSE(ClosestMatch("ab", {"xy"}).has_value());
  CHECK(ClosestMatch("ab", {"ac", "ab"}) == "ab");
}

}  // namespace stowage
