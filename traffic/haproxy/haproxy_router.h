// HaproxyRouter: the Router of an HAProxy load balancer, through its Runtime API.
//
// A target pool is an HAProxy backend; a target is a dynamic server of it
// (HAProxy 2.4+; Debian 12 has 2.6), added and removed live, never through a
// reload, so the backend needs no static server. Commands:
//   List        show servers state BACKEND   + show stat (current sessions)
//   Register    add server BACKEND/NAME ADDR:PORT check inter 1s rise 2 fall 2,
//               enable health, set server ... state drain (added servers start
//               in maintenance; drain runs the check but sends no new traffic)
//   SetState    set server BACKEND/NAME state ready|drain|maint
//   Deregister  set server ... state maint, then del server BACKEND/NAME
// Every name and address is checked against a strict character set before it
// is written to the socket (a ';' or a space would start another command).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "traffic/haproxy/runtime_api.h"
#include "traffic/router.h"

namespace stowage::traffic::haproxy {

class HaproxyRouter : public Router {
 public:
  explicit HaproxyRouter(RuntimeApiClient client) : client_(std::move(client)) {}

  Result<std::vector<Target>> List(const std::string& pool) override;
  Status Register(const std::string& pool, const Target& target) override;
  Status SetState(const std::string& pool, const std::string& name, TargetState state) override;
  Status Deregister(const std::string& pool, const std::string& name) override;

 private:
  // Sends `command`; an answer other than empty or one of `ok` is an error.
  Result<std::string> Command(const std::string& command);

  RuntimeApiClient client_;
};

// Parses the answer of `show servers state` (format 1; columns found by the
// header's names). Connections are left unset. Exposed for tests.
Result<std::vector<Target>> ParseServersState(const std::string& answer);

class HaproxyRouterFactory : public RouterFactory {
 public:
  Result<std::shared_ptr<Router>> Connect(const model::LoadBalancer& balancer) override;
};

}  // namespace stowage::traffic::haproxy
