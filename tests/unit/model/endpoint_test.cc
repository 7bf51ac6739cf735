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
                          "ssh://", "[::1]:2375", "tcp://[::1]2375"}) {
    INFO(bad);
    CHECK_FALSE(ParseEndpoint(bad).ok());
  }
}

TEST_CASE("ssh endpoints parse in Docker's URL form", "[model]") {
  auto a = ParseEndpoint("ssh://deploy@web-1.example.com:2222/run/user/1000/docker.sock");
  REQUIRE(a.ok());
  CHECK(a->kind == Endpoint::Kind::kSsh);
  CHECK(a->user == "deploy");
  CHECK(a->host == "web-1.example.com");
  CHECK(a->port == 2222);
  CHECK(a->path == "/run/user/1000/docker.sock");
  auto b = ParseEndpoint("ssh://10.0.0.7");
  REQUIRE(b.ok());
  CHECK(b->user.empty());
  CHECK(b->host == "10.0.0.7");
  CHECK(b->port == 0);
  CHECK(b->path.empty());
  auto c = ParseEndpoint("ssh://root@[fe80::1]:22");
  REQUIRE(c.ok());
  CHECK(c->host == "fe80::1");
  CHECK(c->port == 22);
}

TEST_CASE("ssh endpoints cannot smuggle options or shell words", "[model]") {
  auto message = [](const char* text) { return ParseEndpoint(text).status().message(); };
  CHECK(message("ssh://-oProxyCommand=touch%20x") ==
        "expected ssh://[USER@]HOST[:PORT][/SOCKET], got \"ssh://-oProxyCommand=touch%20x\" (a "
        "host is a name or address of letters, digits, '.' and '-', starting with a letter or "
        "digit)");
  CHECK(message("ssh://-l@host") ==
        "expected ssh://[USER@]HOST[:PORT][/SOCKET], got \"ssh://-l@host\" (a user is 1 to 32 "
        "letters, digits, '.', '_' or '-', not starting with '-' or '.')");
  CHECK(message("ssh://host/run/docker.sock;reboot") ==
        "expected ssh://[USER@]HOST[:PORT][/SOCKET], got \"ssh://host/run/docker.sock;reboot\" "
        "(the socket path may hold only letters, digits and /._+-, without ..)");
  CHECK(message("ssh://host:0") ==
        "port \"0\" of \"ssh://host:0\" is not a number from 1 to 65535");
  for (const char* bad :
       {"ssh://", "ssh://@host", "ssh://a b@host", "ssh://host name", "ssh://ho$t", "ssh://h/../x",
        "ssh://h/$(id)", "ssh://h/a b", "ssh://a@b@host", "ssh://[::1", "ssh://[::1]x",
        "ssh://[::1;id]", "ssh://user@host/", "ssh://host\n", "ssh://h%n", "ssh://.host",
        "ssh://`id`@host"}) {
    INFO(bad);
    CHECK_FALSE(ParseEndpoint(bad).ok());
  }
}

}  // namespace stowage::model
