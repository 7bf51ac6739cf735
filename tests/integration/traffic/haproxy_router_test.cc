// HaproxyRouter against a real HAProxy (tests/harness/haproxy.sh, started by
// router_test.sh with two busybox httpd on loopback that answer "A" and "B").
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "traffic/haproxy/haproxy_router.h"

namespace stowage::traffic::haproxy {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  if (!v) FAIL(std::string(name) + " is not set (run through router_test.sh)");
  return v;
}

HaproxyRouter UnixRouter() {
  model::RuntimeApiAddress a;
  a.path = Env("STOWAGE_HAPROXY_SOCKET");
  return HaproxyRouter(RuntimeApiClient(a));
}

int Port(const char* name) { return std::stoi(Env(name)); }

Target At(const std::string& name, int port) {
  Target t;
  t.name = name;
  t.address = "127.0.0.1";
  t.port = port;
  return t;
}

const Target* Find(const std::vector<Target>& targets, const std::string& name) {
  for (const auto& t : targets) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

// Waits (at most 10 s) until the balancer's check reports `health` for `name`.
bool WaitHealth(Router& r, const std::string& name, TargetHealth health) {
  for (int i = 0; i < 100; ++i) {
    auto listed = r.List("web");
    if (listed.ok()) {
      const Target* t = Find(*listed, name);
      if (t && t->health == health) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::string Get() {
  std::string url = Env("STOWAGE_HAPROXY_URL_web");  // http://127.0.0.1:PORT/
  httplib::Client client(url.substr(0, url.size() - 1));
  client.set_keep_alive(false);
  auto res = client.Get("/");
  if (!res) return "error";
  return std::to_string(res->status) + " " + res->body.substr(0, res->body.find('\n'));
}

}  // namespace

TEST_CASE("targets are registered in drain, checked, made ready, drained and removed",
          "[haproxy]") {
  auto router = UnixRouter();
  auto empty = router.List("web");
  REQUIRE(empty.ok());
  CHECK(empty->empty());
  CHECK(Get().rfind("503", 0) == 0);  // no server yet

  REQUIRE(router.Register("web", At("web.aaaa", Port("STOWAGE_TEST_HTTPD_A"))).ok());
  auto listed = router.List("web");
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].state == TargetState::kDrain);
  CHECK((*listed)[0].checked);
  CHECK((*listed)[0].port == Port("STOWAGE_TEST_HTTPD_A"));
  CHECK((*listed)[0].connections == 0);
  REQUIRE(WaitHealth(router, "web.aaaa", TargetHealth::kUp));
  CHECK(Get().rfind("503", 0) == 0);  // drained: no new traffic before ready
  REQUIRE(router.SetState("web", "web.aaaa", TargetState::kReady).ok());
  CHECK(Get() == "200 A");

  // Registering again is a no-op; another address under the same name is a conflict.
  CHECK(router.Register("web", At("web.aaaa", Port("STOWAGE_TEST_HTTPD_A"))).ok());
  auto other = router.Register("web", At("web.aaaa", Port("STOWAGE_TEST_HTTPD_B")));
  CHECK(other.code() == Status::Code::kConflict);
  CHECK(other.message() ==
        "HAProxy backend web has web.aaaa at 127.0.0.1:" + Env("STOWAGE_TEST_HTTPD_A") +
            ", not 127.0.0.1:" + Env("STOWAGE_TEST_HTTPD_B"));
  listed = router.List("web");
  REQUIRE(listed.ok());
  CHECK((*listed)[0].state == TargetState::kReady);

  REQUIRE(router.Register("web", At("web.bbbb", Port("STOWAGE_TEST_HTTPD_B"))).ok());
  REQUIRE(WaitHealth(router, "web.bbbb", TargetHealth::kUp));
  REQUIRE(router.SetState("web", "web.bbbb", TargetState::kReady).ok());
  REQUIRE(router.SetState("web", "web.aaaa", TargetState::kDrain).ok());
  for (int i = 0; i < 6; ++i) CHECK(Get() == "200 B");

  REQUIRE(router.Deregister("web", "web.aaaa").ok());
  listed = router.List("web");
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].name == "web.bbbb");
  CHECK(router.Deregister("web", "web.aaaa").ok());  // already gone
  CHECK(router.SetState("web", "web.aaaa", TargetState::kReady).code() == Status::Code::kNotFound);
  REQUIRE(router.Deregister("web", "web.bbbb").ok());
  CHECK(router.List("web")->empty());
}

TEST_CASE("a target whose port does not answer is reported down", "[haproxy]") {
  auto router = UnixRouter();
  REQUIRE(router.Register("web", At("web.dead", 9)).ok());  // discard: nothing listens
  CHECK(WaitHealth(router, "web.dead", TargetHealth::kDown));
  REQUIRE(router.Deregister("web", "web.dead").ok());
}

TEST_CASE("unknown backends, unsafe names and a missing socket are errors", "[haproxy]") {
  auto router = UnixRouter();
  auto none = router.List("nope");
  CHECK(none.status().code() == Status::Code::kNotFound);
  CHECK(none.status().message() == "HAProxy has no backend \"nope\"");
  CHECK(router.Register("nope", At("web.x", 80)).code() == Status::Code::kNotFound);
  auto unsafe = router.Register("web", At("web.x; del server web/web.y", 80));
  CHECK(unsafe.code() == Status::Code::kInvalid);
  CHECK(router.List("web;show info").status().code() == Status::Code::kInvalid);
  model::RuntimeApiAddress missing;
  missing.path = "/nonexistent/admin.sock";
  HaproxyRouter gone{RuntimeApiClient(missing)};
  auto down = gone.List("web");
  CHECK(down.status().code() == Status::Code::kUnreachable);
  CHECK(down.status().message() ==
        "HAProxy Runtime API unix:///nonexistent/admin.sock: No such file or directory");
}

TEST_CASE("the Runtime API over loopback tcp", "[haproxy]") {
  auto tcp = model::ParseRuntimeApi("tcp://" + Env("STOWAGE_HAPROXY_TCP"));
  REQUIRE(tcp.ok());
  HaproxyRouter router{RuntimeApiClient(*tcp)};
  REQUIRE(router.Register("web", At("web.tcp", Port("STOWAGE_TEST_HTTPD_A"))).ok());
  auto listed = router.List("web");
  REQUIRE(listed.ok());
  REQUIRE(Find(*listed, "web.tcp") != nullptr);
  REQUIRE(router.Deregister("web", "web.tcp").ok());
  HaproxyRouterFactory factory;
  model::LoadBalancer lb;
  lb.name = "edge";
  lb.runtime_api = "udp://127.0.0.1:1";
  CHECK(factory.Connect(lb, model::Cluster{}).status().message() ==
        "load balancer edge: runtimeApi: expected unix:///PATH, tcp://HOST:PORT or "
        "ssh://[USER@]HOST/PATH, got \"udp://127.0.0.1:1\"");
}

}  // namespace stowage::traffic::haproxy
