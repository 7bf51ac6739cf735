#include "notify/notifier.h"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "crypto/signature.h"
#include "notify/http/curl_sender.h"

namespace stowage::notify {
namespace {

using namespace std::chrono_literals;

ReleaseEvent RolledBack() {
  ReleaseEvent e;
  e.kind = EventKind::kRolledBack;
  e.cluster = "prod";
  e.revision = "0123456789abcdef0123";
  e.subject = "new web image";
  e.author = "Ann";
  e.by = "watcher";
  e.message = "web rolled back";
  e.services = {{"web", "rolled back", "circuit breaker: 2 of 3 tasks failed"},
                {"api", "converged", ""}};
  e.at = 1796000000;
  return e;
}

NotifierOptions Fast(std::vector<std::string> urls, std::string secret = "") {
  NotifierOptions o;
  o.urls = std::move(urls);
  o.secret = std::move(secret);
  o.first_backoff = 10ms;
  o.max_backoff = 40ms;
  return o;
}

struct Call {
  std::string url, body;
  std::map<std::string, std::string> headers;
};

}  // namespace

TEST_CASE("a release event carries the commit, each service, and a text line", "[notify]") {
  const auto j = EventJson(RolledBack());
  CHECK(j["event"] == "release.rolled_back");
  CHECK(j["cluster"] == "prod");
  CHECK(j["revision"] == "0123456789abcdef0123");
  CHECK(j["services"].size() == 2);
  CHECK(j["services"][0]["reason"] == "circuit breaker: 2 of 3 tasks failed");
  CHECK(j["text"] ==
        "stowage prod: release of 0123456789ab rolled back (\"new web image\" by Ann): web rolled "
        "back\n- web: rolled back (circuit breaker: 2 of 3 tasks failed)");
  ReleaseEvent invalid;
  invalid.kind = EventKind::kInvalid;
  invalid.cluster = "prod";
  invalid.revision = "abc";
  CHECK(EventJson(invalid)["event"] == "commit.invalid");
}

TEST_CASE("notifier: each event once per URL, signed, retried after a 500", "[notify]") {
  std::mutex mu;
  std::vector<Call> calls;
  int failures_left = 1;
  Sender sender = [&](const std::string& url, const std::string& body,
                      const std::map<std::string, std::string>& headers) -> Result<int> {
    std::lock_guard<std::mutex> lock(mu);
    calls.push_back({url, body, headers});
    if (url == "http://b" && failures_left > 0) {
      --failures_left;
      return 500;
    }
    return 200;
  };
  Notifier n(Fast({"http://a", "http://b"}, "s3cret"), sender);
  n.Publish(RolledBack());
  n.Flush(5s);
  std::lock_guard<std::mutex> lock(mu);
  REQUIRE(calls.size() == 3);  // a once, b twice (500, then 200)
  CHECK(calls[0].url == "http://a");
  CHECK(calls[1].url == "http://b");
  CHECK(calls[2].url == "http://b");
  CHECK(calls[2].body == calls[0].body);
  CHECK(crypto::VerifyHubSignature("s3cret", calls[0].body,
                                   calls[0].headers.at("X-Stowage-Signature-256")));
}

TEST_CASE("notifier: gives up after its attempts; a 4xx is not retried", "[notify]") {
  std::atomic<int> calls{0};
  Notifier down(Fast({"http://down"}), [&](auto&, auto&, auto&) -> Result<int> {
    ++calls;
    return Status::Unreachable("connection refused");
  });
  down.Publish(RolledBack());
  down.Flush(5s);
  CHECK(calls == 5);
  calls = 0;
  Notifier gone(Fast({"http://gone"}), [&](auto&, auto&, auto&) -> Result<int> {
    ++calls;
    return 404;
  });
  gone.Publish(RolledBack());
  gone.Flush(5s);
  CHECK(calls == 1);
}

TEST_CASE("notifier: a receiver that hangs never holds up the caller", "[notify]") {
  std::atomic<bool> release{false};
  Notifier n(Fast({"http://hangs"}), [&](auto&, auto&, auto&) -> Result<int> {
    while (!release) std::this_thread::sleep_for(5ms);
    return 200;
  });
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 150; ++i) n.Publish(RolledBack());  // queue bounded at 100
  n.Flush(100ms);
  CHECK(std::chrono::steady_clock::now() - t0 < 2s);
  release = true;
}

TEST_CASE("notifier over real HTTP: the receiver gets the body and a valid signature", "[notify]") {
  httplib::Server receiver;
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> got;  // body, signature
  int status_to_send = 500;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    got.emplace_back(req.body, req.get_header_value("X-Stowage-Signature-256"));
    res.status = status_to_send;
    status_to_send = 200;
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread serve([&] { receiver.listen_after_bind(); });
  {
    Notifier n(Fast({"http://127.0.0.1:" + std::to_string(port) + "/hook"}, "k"), CurlSender());
    n.Publish(RolledBack());
    n.Flush(10s);
  }
  receiver.stop();
  serve.join();
  REQUIRE(got.size() == 2);  // the 500, then the retry
  CHECK(got[1].first == got[0].first);
  CHECK(nlohmann::json::parse(got[1].first)["event"] == "release.rolled_back");
  CHECK(crypto::VerifyHubSignature("k", got[1].first, got[1].second));
}

}  // namespace stowage::notify
