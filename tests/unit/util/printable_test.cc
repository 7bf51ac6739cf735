#include <catch2/catch.hpp>

#include "util/printable.h"

namespace stowage {

TEST_CASE("control characters become visible escapes", "[util]") {
  CHECK(Printable("nginx:1.25") == "nginx:1.25");
  CHECK(Printable("\x1b[31mred") == "\\x1b[31mred");
  CHECK(Printable("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(Printable(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(Printable("del\x7f") == "del\\x7f");
  CHECK(Printable("csi\xc2\x9b"
                  "2J") == "csi\\u009b2J");
  CHECK(Printable("\xe2\x89\xa5 0 caf\xc3\xa9") == "\xe2\x89\xa5 0 caf\xc3\xa9");
  CHECK(Printable("back\\slash") == "back\\slash");
  CHECK_FALSE(HasControl("plain \xc2\xa0 text"));
  CHECK(HasControl("x\n"));
}

}  // namespace stowage
