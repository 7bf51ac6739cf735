#include <catch2/catch.hpp>

#include "util/duration.h"

namespace stowage {

TEST_CASE("durations take ms, s, m, h or plain seconds", "[util]") {
  using std::chrono::milliseconds;
  CHECK(*ParseDuration("500ms") == milliseconds(500));
  CHECK(*ParseDuration("15s") == milliseconds(15000));
  CHECK(*ParseDuration("15") == milliseconds(15000));
  CHECK(*ParseDuration("2m") == milliseconds(120000));
  CHECK(*ParseDuration("1h") == milliseconds(3600000));
  CHECK(ParseDuration("fast").status().message() ==
        "expected a duration like 500ms, 15s, 2m or 1h, got \"fast\"");
  CHECK_FALSE(ParseDuration("-1s").ok());
  CHECK_FALSE(ParseDuration("5d").ok());
  CHECK_FALSE(ParseDuration("").ok());
}

}  // namespace stowage
