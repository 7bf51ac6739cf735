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

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/ssh/ssh_connection.h"
#include "traffic/haproxy/runtime_api.h"
#include "traffic/haproxy/ssh_forward.h"
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

// Routers of HAProxy balancers; an ssh:// runtimeApi is reached through the
// ssh connection of the host with that endpoint (traffic/haproxy/ssh_forward.h),
// with the operator's `ssh` options (as the engines' runtime has them). One
// forward per host and socket for as long as the factory lives.
class HaproxyRouterFactory : public RouterFactory {
 public:
  explicit HaproxyRouterFactory(runtime::ssh::SshClientOptions ssh = {}) : ssh_(std::move(ssh)) {}
  Result<std::shared_ptr<Router>> Connect(const model::LoadBalancer& balancer,
                                          const model::Cluster& cluster) override;

 private:
  Result<std::shared_ptr<SshForward>> ForwardOf(const model::Host& host,
                                                const std::string& remote_path);

  runtime::ssh::SshClientOptions ssh_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<SshForward>> forwards_;  // by endpoint and socket
};

}  // namespace stowage::traffic::haproxy
