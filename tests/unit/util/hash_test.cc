#include <catch2/catch.hpp>

#include "util/hash.h"

namespace stowage {

TEST_CASE("hasher separates fields and is stable", "[util]") {
  auto h = [](std::string a, std::string b) { return Hasher().Add(a).Add(b).HexDigest(); };
  CHECK(h("ab", "c") != h("a", "bc"));
  CHECK(h("ab", "c") == h("ab", "c"));
  CHECK(h("ab", "c").size() == 32);
}

}  // namespace stowage
