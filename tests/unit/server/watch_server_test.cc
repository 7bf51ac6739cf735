#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>

#include "crypto/signature.h"
#include "server/watch_server.h"

namespace stowage::server {
using crypto::HubSignature;
using crypto::VerifyHubSignature;

TEST_CASE("hub signatures are HMAC-SHA256 of the body", "[server]") {
  // RFC 4231 test case 2.
  CHECK(HubSignature("Jefe", "what do ya want for nothing?") ==
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const std::string good = HubSignature("s3cret", "{}");
  CHECK(VerifyHubSignature("s3cret", "{}", good));
  CHECK_FALSE(VerifyHubSignature("s3cret", "{ }", good));
  CHECK_FALSE(VerifyHubSignature("other", "{}", good));
  CHECK_FALSE(VerifyHubSignature("s3cret", "{}", ""));
  CHECK_FALSE(VerifyHubSignature("s3cret", "{}", good.substr(0, 20)));
  CHECK_FALSE(VerifyHubSignature("", "{}", HubSignature("", "{}")));
}

TEST_CASE("listen addresses default to loopback", "[server]") {
  CHECK(ParseListenAddress("9090")->host == "127.0.0.1");
  CHECK(ParseListenAddress(":9090")->port == 9090);
  CHECK(ParseListenAddress("0.0.0.0:80")->host == "0.0.0.0");
  CHECK(ParseListenAddress("[::1]:80")->host == "::1");
  CHECK(ParseListenAddress("x:y").status().message() ==
        "--listen: expected [HOST:]PORT, got \"x:y\"");
  CHECK_FALSE(ParseListenAddress("70000").ok());
}

TEST_CASE("watch server serves health, metrics, status and signed hooks", "[server]") {
  std::atomic<int> hooks{0};
  WatchServer server({[] { return std::string("stowage_up 1\n"); },
                      [] {
                        return nlohmann::json{{"ok", true}};
                      },
                      [&] { ++hooks; },
                      {}},
                     "s3cret");
  REQUIRE(server.Start({"127.0.0.1", 0}).ok());
  httplib::Client client("127.0.0.1", server.port());
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->body == "ok\n");
  auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body == "stowage_up 1\n");
  CHECK(metrics->get_header_value("Content-Type") == "text/plain; version=0.0.4");
  auto status = client.Get("/status");
  REQUIRE(status);
  CHECK(status->body == "{\n  \"ok\": true\n}\n");

  const std::string body = "{\"ref\":\"refs/heads/main\"}";
  auto missing = client.Post("/hooks/git", body, "application/json");
  REQUIRE(missing);
  CHECK(missing->status == 401);
  httplib::Headers bad{{"X-Hub-Signature-256", HubSignature("wrong", body)}};
  auto rejected = client.Post("/hooks/git", bad, body, "application/json");
  REQUIRE(rejected);
  CHECK(rejected->status == 401);
  CHECK(hooks == 0);
  httplib::Headers good{{"X-Hub-Signature-256", HubSignature("s3cret", body)}};
  auto accepted = client.Post("/hooks/git", good, body, "application/json");
  REQUIRE(accepted);
  CHECK(accepted->status == 202);
  CHECK(hooks == 1);
  server.Stop();
}

}  // namespace stowage::server
