#include <catch2/catch.hpp>

#include "model/endpoint.h"

namespace stowage::model {

TEST_CASE("endpoints parse into their parts", "[model]") {
  auto d = ParseEndpoint("default");
  REQUIRE(d.ok());
  CHECK(d->kind == Endpoint::Kind::kDefault);
  auto u = ParseEndpoint("unix:///tmp/e1.sock");
  REQUIRE(u.ok());
  CHECK(u->kind == Endpoint::Kind::kUnix);
  CHECK(u->path == "/tmp/e1.sock");
  auto t = ParseEndpoint("tcp://10.0.0.5:2376");
  REQUIRE(t.ok());
  CHECK(t->kind == Endpoint::Kind::kTcp);
  CHECK(t->host == "10.0.0.5");
  CHECK(t->port == 2376);
  auto v6 = ParseEndpoint("tcp://[::1]:2375");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 2375);
  for (const char* bad : {"", "tcp://:2375", "tcp://h:", "tcp://h:x", "tcp://h:0", "unix://",
                          "ssh://user@host", "[::1]:2375", "tcp://[::1]2375"}) {
    INFO(bad);
    CHECK_FALSE(ParseEndpoint(bad).ok());
  }
}

}  // namespace stowage::model
