#include <httplib.h>

#include <catch2/catch.hpp>

#include "server/status_page.h"
#include "server/watch_server.h"

namespace stowage::server {
namespace {

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

nlohmann::json SampleStatus() {
  return nlohmann::json::parse(R"json({
    "cluster": "prod",
    "services": [
      {"service": "web", "revision": "ab5a398d29a0ffff", "desired": 3, "running": 3,
       "healthy": 2, "pending": 0, "deployment": "in progress"},
      {"service": "api", "revision": "56b57a95a298eeee", "desired": 2, "running": 2,
       "healthy": 2, "pending": 0, "deployment": "completed"}],
    "hosts": [
      {"host": "h1", "reachable": true, "state": "active",
       "capacity": {"cpu": 4096, "memory": 8000}, "reserved": {"cpu": 256, "memory": 512},
       "used": {"cpu": 512, "memory": 1024},
       "tasks": [{"service": "web", "task": "t1", "revision": "ab5a398d", "status": "healthy"},
                 {"service": "api", "task": "t2", "revision": "56b57a95", "status": "running"}]},
      {"host": "h2", "reachable": false, "error": "connection refused", "tasks": []},
      {"host": "h3", "reachable": true, "state": "draining", "tasks": []}],
    "history": [{"at": 1796000000, "commit": "0123456789abcdef", "subject": "scale web",
                 "author": "Ann", "by": "watcher", "outcome": "rolled back",
                 "reason": "web: circuit breaker", "duration": 12.5}],
    "watch": {"source": "file:///srv/fleet (main)", "revision_seen": "0123456789abcdef",
              "revision_applied": "fedcba9876543210", "applied_at": 1796000000,
              "next_fetch_at": 1796000015,
              "activity": {"phase": "applying", "step": 2, "steps": 5},
              "failed_revisions": {"0123456789abcdef": "rolled back"},
              "last_error": {"message": "web: rolled back", "revision": "0123456789abcdef",
                             "at": 1796000010}}
  })json");
}

}  // namespace

TEST_CASE("status page: every service, host and task, with counts", "[server][page]") {
  const std::string page = RenderStatusPage(SampleStatus());
  CHECK(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(page.find("<title>stowage · prod</title>") != std::string::npos);
  CHECK(Count(page, "<tr data-service=") == 2);
  CHECK(page.find("<tr data-service=\"web\"") != std::string::npos);
  CHECK(page.find("<td data-count=\"desired\">3</td><td data-count=\"running\">3</td>"
                  "<td data-count=\"healthy\">2</td>") != std::string::npos);
  CHECK(page.find("aria-label=\"web: 2 of 3 healthy\"") != std::string::npos);
  CHECK(Count(page, "<li class=\"host") == 3);
  CHECK(page.find("data-host=\"h1\" data-tasks=\"2\"") != std::string::npos);
  CHECK(page.find("<li class=\"host unreachable\" data-host=\"h2\"") != std::string::npos);
  CHECK(page.find("<li class=\"host draining\" data-host=\"h3\"") != std::string::npos);
  CHECK(page.find("aria-label=\"CPU: 256 reserved, 512 used, 3328 free of 4096 units\"") !=
        std::string::npos);
  CHECK(page.find("applying: step 2 of 5") != std::string::npos);
  CHECK(page.find("not deployed: rolled back") != std::string::npos);
  CHECK(page.find("<td>scale web</td><td>Ann</td><td>watcher</td>") != std::string::npos);
  CHECK(page.find("12.5 s") != std::string::npos);
  CHECK(page.find("<script src=\"/ui/page.js\" defer></script>") != std::string::npos);
}

TEST_CASE("status page: old tasks still stopping and exited ones show under running",
          "[server][page]") {
  nlohmann::json status = SampleStatus();
  CHECK(RenderStatusPage(status).find("old stopping") == std::string::npos);
  status["services"][0]["stopping"] = 3;
  status["services"][0]["stoppingDeadline"] = 1796000030;
  status["services"][1]["retiredExited"] = 1;
  const std::string page = RenderStatusPage(status);
  CHECK(page.find("<td data-count=\"running\">3<br><small class=\"stopping\">+3 old stopping, "
                  "killed by <time datetime=\"2026-11-30T00:53:50Z\">2026-11-30 00:53:50 "
                  "UTC</time></small></td>") != std::string::npos);
  CHECK(page.find("<td data-count=\"running\">2<br><small class=\"retired\">+1 old exited, "
                  "removed by the next apply</small></td>") != std::string::npos);
}

TEST_CASE("status page: values are escaped, never markup", "[server][page]") {
  nlohmann::json status = SampleStatus();
  status["services"][0]["service"] = "<img src=x onerror=alert(1)>";
  status["hosts"][1]["error"] = "\x1b[31mred\n\"quoted\" & 'single'";
  const std::string page = RenderStatusPage(status);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(page.find("\\x1b[31mred\\x0a&quot;quoted&quot; &amp; &#39;single&#39;") !=
        std::string::npos);
  CHECK(page.find('\x1b') == std::string::npos);
}

TEST_CASE("status page: an empty watcher still renders", "[server][page]") {
  const std::string page = RenderStatusPage(nlohmann::json::object());
  CHECK(page.find("(no cluster loaded yet)") != std::string::npos);
  CHECK(page.find("No services yet.") != std::string::npos);
  CHECK(page.find("No hosts yet.") != std::string::npos);
  CHECK(page.find("No deployment recorded yet.") != std::string::npos);
}

TEST_CASE("watch server: page, its assets, and /ui/main with an ETag", "[server][page]") {
  nlohmann::json status = SampleStatus();
  WatchServer server({[] { return std::string(); }, [&] { return status; }, [] {}, {}}, "");
  REQUIRE(server.Start({"127.0.0.1", 0}).ok());
  httplib::Client client("127.0.0.1", server.port());
  auto page = client.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->get_header_value("Content-Security-Policy").find("default-src 'none'") == 0);
  CHECK(page->body == RenderStatusPage(status));
  for (const char* asset : {"/ui/page.js", "/ui/page.css"}) {
    auto a = client.Get(asset);
    REQUIRE(a);
    CHECK(a->status == 200);
    CHECK(a->body.size() > 500);
  }
  auto missing = client.Get("/ui/nothing.js");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  auto main = client.Get("/ui/main");
  REQUIRE(main);
  CHECK(main->status == 200);
  CHECK(main->body == RenderStatusMain(status));
  const std::string etag = main->get_header_value("ETag");
  REQUIRE_FALSE(etag.empty());
  auto same = client.Get("/ui/main", {{"If-None-Match", etag}});
  REQUIRE(same);
  CHECK(same->status == 304);
  status["services"][0]["healthy"] = 3;  // read by the server only while it answers
  auto changed = client.Get("/ui/main", {{"If-None-Match", etag}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
  CHECK(changed->body.find("aria-label=\"web: 3 of 3 healthy\"") != std::string::npos);
}

TEST_CASE("watch server: /ui/main is rendered once per status version", "[server][page]") {
  nlohmann::json status = SampleStatus();
  std::uint64_t version = 1;
  int reads = 0;
  WatchServer server({[] { return std::string(); },
                      [&] {
                        ++reads;
                        return status;
                      },
                      [] {}, [&] { return version; }},
                     "");
  REQUIRE(server.Start({"127.0.0.1", 0}).ok());
  httplib::Client client("127.0.0.1", server.port());
  auto first = client.Get("/ui/main");
  REQUIRE(first);
  const std::string etag = first->get_header_value("ETag");
  for (int i = 0; i < 5; ++i) {
    auto again = client.Get("/ui/main", {{"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
  }
  CHECK(reads == 1);  // the same version: no copy of the status, no render
  status["services"][0]["healthy"] = 3;
  version = 2;
  auto changed = client.Get("/ui/main", {{"If-None-Match", etag}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
  CHECK(reads == 2);
  CHECK(changed->body.find("aria-label=\"web: 3 of 3 healthy\"") != std::string::npos);
}

}  // namespace stowage::server
