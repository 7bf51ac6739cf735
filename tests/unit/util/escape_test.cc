#include <catch2/catch.hpp>

#include "util/escape.h"

namespace stowage {

TEST_CASE("control characters become visible escapes", "[util]") {
  CHECK(EscapeControl("nginx:1.25") == "nginx:1.25");
  CHECK(EscapeControl("\x1b[31mred") == "\\x1b[31mred");
  CHECK(EscapeControl("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(EscapeControl(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(EscapeControl("del\x7f") == "del\\x7f");
  CHECK(EscapeControl("csi\xc2\x9b"
                      "2J") == "csi\\u009b2J");
  CHECK(EscapeControl("\xe2\x89\xa5 0 caf\xc3\xa9") == "\xe2\x89\xa5 0 caf\xc3\xa9");
  CHECK(EscapeControl("back\\slash") == "back\\slash");
  CHECK_FALSE(HasControl("plain \xc2\xa0 text"));
  CHECK(HasControl("x\n"));
}

}  // namespace stowage
