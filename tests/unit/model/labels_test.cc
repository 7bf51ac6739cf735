#include "model/labels.h"

#include <catch2/catch.hpp>

namespace stowage::labels {

TEST_CASE("number labels read from engines are error values, never exceptions", "[model][labels]") {
  const std::map<std::string, std::string> l = {
      {"n", "42"},      {"empty", ""},
      {"neg", "-1"},    {"word", "ten"},
      {"tail", "12x"},  {"huge", "99999999999999999999999"},
      {"space", " 7"},  {"control", "\x1b[31m9"},
      {"big", "86401"}, {"long", std::string(200, '1')},
  };
  CHECK(*IntLabel(l, "n", 0, 100) == 42);
  CHECK(*IntLabel(l, "absent", 30, 100) == 30);
  CHECK(*IntLabel(l, "empty", 30, 100) == 30);
  CHECK(*IntLabel(l, "big", 0, 86401) == 86401);
  CHECK(IntLabel(l, "neg", 0, 100).status().message() ==
        "label neg: expected an integer from 0 to 100, got \"-1\"");
  CHECK(IntLabel(l, "word", 0, 100).status().message() ==
        "label word: expected an integer from 0 to 100, got \"ten\"");
  CHECK_FALSE(IntLabel(l, "tail", 0, 100).ok());
  CHECK_FALSE(IntLabel(l, "huge", 0, INT64_MAX).ok());
  CHECK_FALSE(IntLabel(l, "space", 0, 100).ok());
  CHECK(IntLabel(l, "control", 0, 100).status().message() ==
        "label control: expected an integer from 0 to 100, got \"\\x1b[31m9\"");
  CHECK(IntLabel(l, "big", 0, 86400).status().code() == Status::Code::kInvalid);
  CHECK(IntLabel(l, "long", 0, 100).status().message() ==
        "label long: expected an integer from 0 to 100, got \"" + std::string(64, '1') + "\"");
}

}  // namespace stowage::labels
