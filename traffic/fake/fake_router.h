// FakeRouter: an in-memory load balancer for unit tests.
//
// Pools exist once added (AddPool); targets behave as HAProxy's dynamic
// servers do for stowage: Register adds a target in drain with its health
// unknown, SetHealth and SetConnections stand for the balancer's check and
// its traffic, Deregister closes what connections remain. Every call is
// recorded (`calls`, "register web/web.abc 10.0.0.1:32768") so tests can
// assert the order of operations; `fail_next` makes the next call fail.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "traffic/router.h"

namespace stowage::traffic::fake {

class FakeRouter : public Router {
 public:
  void AddPool(const std::string& pool);
  // The balancer's check on a target (unknown pool or target: ignored).
  void SetHealth(const std::string& pool, const std::string& name, TargetHealth health);
  void SetConnections(const std::string& pool, const std::string& name, int connections);
  // Removes a target behind stowage's back (drift); true when it was there.
  bool Drop(const std::string& pool, const std::string& name);
  std::vector<std::string> Calls() const;
  void FailNext(Status status);
  // The health a registered target reports (default up: the check passes at once).
  void SetRegisterHealth(TargetHealth health);

  Result<std::vector<Target>> List(const std::string& pool) override;
  Status Register(const std::string& pool, const Target& target) override;
  Status SetState(const std::string& pool, const std::string& name, TargetState state) override;
  Status Deregister(const std::string& pool, const std::string& name) override;

 private:
  Target* Find(const std::string& pool, const std::string& name);
  bool Failing(Status* out);

  mutable std::mutex mu_;
  std::map<std::string, std::vector<Target>> pools_;
  std::vector<std::string> calls_;
  TargetHealth register_health_ = TargetHealth::kUp;
  Status fail_next_;
  bool failing_ = false;
};

// Hands out one FakeRouter per load balancer name.
class FakeRouterFactory : public RouterFactory {
 public:
  std::shared_ptr<FakeRouter> Balancer(const std::string& name);
  Result<std::shared_ptr<Router>> Connect(const model::LoadBalancer& balancer,
                                          const model::Cluster& cluster) override;

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<FakeRouter>> routers_;
};

}  // namespace stowage::traffic::fake
