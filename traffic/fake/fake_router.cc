#include "traffic/fake/fake_router.h"

namespace stowage::traffic::fake {

void FakeRouter::AddPool(const std::string& pool) {
  std::lock_guard lock(mu_);
  pools_[pool];
}

Target* FakeRouter::Find(const std::string& pool, const std::string& name) {
  auto it = pools_.find(pool);
  if (it == pools_.end()) return nullptr;
  for (auto& t : it->second) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

void FakeRouter::SetHealth(const std::string& pool, const std::string& name, TargetHealth health) {
  std::lock_guard lock(mu_);
  if (Target* t = Find(pool, name)) t->health = health;
}

void FakeRouter::SetConnections(const std::string& pool, const std::string& name, int connections) {
  std::lock_guard lock(mu_);
  if (Target* t = Find(pool, name)) t->connections = connections;
}

bool FakeRouter::Drop(const std::string& pool, const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = pools_.find(pool);
  if (it == pools_.end()) return false;
  return std::erase_if(it->second, [&](const Target& t) { return t.name == name; }) > 0;
}

std::vector<std::string> FakeRouter::Calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

void FakeRouter::FailNext(Status status) {
  std::lock_guard lock(mu_);
  fail_next_ = std::move(status);
  failing_ = true;
}

void FakeRouter::SetRegisterHealth(TargetHealth health) {
  std::lock_guard lock(mu_);
  register_health_ = health;
}

bool FakeRouter::Failing(Status* out) {
  if (!failing_) return false;
  failing_ = false;
  *out = fail_next_;
  return true;
}

Result<std::vector<Target>> FakeRouter::List(const std::string& pool) {
  std::lock_guard lock(mu_);
  if (Status st; Failing(&st)) return st;
  auto it = pools_.find(pool);
  if (it == pools_.end()) return Status::NotFound("no pool \"" + pool + "\"");
  return it->second;
}

Status FakeRouter::Register(const std::string& pool, const Target& target) {
  std::lock_guard lock(mu_);
  calls_.push_back("register " + pool + "/" + target.name + " " + target.address + ":" +
                   std::to_string(target.port));
  if (Status st; Failing(&st)) return st;
  auto it = pools_.find(pool);
  if (it == pools_.end()) return Status::NotFound("no pool \"" + pool + "\"");
  if (Target* t = Find(pool, target.name)) {
    if (t->address == target.address && t->port == target.port) return Status::Ok();
    return Status::Conflict("target " + target.name + " exists with another address");
  }
  Target added = target;
  added.state = TargetState::kDrain;
  added.health = register_health_;
  added.checked = true;
  added.connections = 0;
  it->second.push_back(std::move(added));
  return Status::Ok();
}

Status FakeRouter::SetState(const std::string& pool, const std::string& name, TargetState state) {
  std::lock_guard lock(mu_);
  calls_.push_back(std::string(TargetStateName(state)) + " " + pool + "/" + name);
  if (Status st; Failing(&st)) return st;
  Target* t = Find(pool, name);
  if (!t) return Status::NotFound("no target " + name + " in " + pool);
  t->state = state;
  return Status::Ok();
}

Status FakeRouter::Deregister(const std::string& pool, const std::string& name) {
  std::lock_guard lock(mu_);
  calls_.push_back("deregister " + pool + "/" + name);
  if (Status st; Failing(&st)) return st;
  Target* t = Find(pool, name);
  if (!t) return Status::Ok();
  std::erase_if(pools_[pool], [&](const Target& x) { return x.name == name; });
  return Status::Ok();
}

std::shared_ptr<FakeRouter> FakeRouterFactory::Balancer(const std::string& name) {
  std::lock_guard lock(mu_);
  auto& r = routers_[name];
  if (!r) r = std::make_shared<FakeRouter>();
  return r;
}

Result<std::shared_ptr<Router>> FakeRouterFactory::Connect(const model::LoadBalancer& balancer,
                                                           const model::Cluster&) {
  return std::shared_ptr<Router>(Balancer(balancer.name));
}

}  // namespace stowage::traffic::fake
