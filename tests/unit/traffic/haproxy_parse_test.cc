#include <catch2/catch.hpp>

#include "traffic/haproxy/haproxy_router.h"
#include "traffic/router.h"

namespace stowage::traffic::haproxy {

// Answers of HAProxy 2.6.12 (Debian 12), recorded.
constexpr const char* kHeader =
    "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
    "srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health "
    "srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord "
    "srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

TEST_CASE("show servers state: state, health and address of each server", "[traffic]") {
  std::string answer = std::string(kHeader) +
                       // just added: maintenance, check configured but not enabled
                       "3 web 1 web.a 127.0.0.1 0 1 1 1 0 1 0 0 2 0 0 0 - 1234 - 0 0 - - 0\n"
                       // drain, first check not run yet
                       "3 web 6 web.b 127.0.0.1 2 8 1 1 0 1 0 2 6 0 0 0 - 18181 - 0 0 - - 0\n"
                       // drain, check passed
                       "3 web 7 web.c 127.0.0.1 2 8 1 1 2 15 3 3 6 0 0 0 - 18182 - 0 0 - - 0\n"
                       // drain, check failed: stopped
                       "3 web 8 web.d 127.0.0.1 0 8 1 1 2 8 2 0 6 0 0 0 - 18998 - 0 0 - - 0\n"
                       // ready, no check at all
                       "3 web 9 web.e ::1 2 0 1 1 1 1 0 0 0 0 0 0 - 80 - 0 0 - - 0\n\n";
  auto parsed = ParseServersState(answer);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 5);
  const auto& t = *parsed;
  CHECK(t[0].name == "web.a");
  CHECK(t[0].state == TargetState::kMaint);
  CHECK_FALSE(t[0].checked);
  CHECK(t[0].health == TargetHealth::kUnknown);
  CHECK(t[1].state == TargetState::kDrain);
  CHECK(t[1].checked);
  CHECK(t[1].health == TargetHealth::kUnknown);
  CHECK(t[2].health == TargetHealth::kUp);
  CHECK(t[2].port == 18182);
  CHECK(t[3].health == TargetHealth::kDown);
  CHECK(t[4].state == TargetState::kReady);
  CHECK(t[4].address == "::1");
  CHECK(t[4].health == TargetHealth::kUnknown);
  CHECK_FALSE(t[4].connections.has_value());
}

TEST_CASE("show servers state: an empty backend and an unexpected answer", "[traffic]") {
  auto empty = ParseServersState(kHeader);
  REQUIRE(empty.ok());
  CHECK(empty->empty());
  auto odd = ParseServersState("Permission denied\n");
  CHECK(odd.status().message() == "unexpected answer to show servers state: Permission denied");
}

TEST_CASE("target names carry the service and the task", "[traffic]") {
  CHECK(TargetName("web", "3f2a9c01b7d4") == "web.3f2a9c01b7d4");
  auto owner = ParseTargetName("web.3f2a9c01b7d4");
  REQUIRE(owner);
  CHECK(owner->service == "web");
  CHECK(owner->task_id == "3f2a9c01b7d4");
  CHECK_FALSE(ParseTargetName("web1"));
  CHECK_FALSE(ParseTargetName(".x"));
  CHECK_FALSE(ParseTargetName("a.b.c"));
}

}  // namespace stowage::traffic::haproxy
