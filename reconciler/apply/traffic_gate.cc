#include "apply/traffic_gate.h"

#include <spdlog/spdlog.h>

namespace stowage::apply {
namespace {

using targets::Binding;
using targets::BindingsOf;
using targets::DesiredTarget;
using targets::DesiredTargets;
using targets::DiffTargets;
using targets::PublishedPort;
using targets::TargetChange;
using targets::TargetChangeName;
using targets::TargetListing;

const traffic::Target* Find(const std::vector<traffic::Target>& targets, const std::string& name) {
  for (const auto& t : targets) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string Seconds(std::chrono::milliseconds d) { return std::to_string(d.count() / 1000) + "s"; }

}  // namespace

TrafficGate::TrafficGate(const model::DesiredState& desired, traffic::RouterFactory& routers,
                         apply::Clock& clock, GateTimes times, HealthProbe probe)
    : desired_(desired),
      routers_(routers),
      clock_(clock),
      times_(times),
      probe_(std::move(probe)) {}

bool TrafficGate::Bound(const std::string& service) const {
  const model::Service* s = desired_.FindService(service);
  return s && !BindingsOf(desired_, *s).empty();
}

Result<std::shared_ptr<traffic::Router>> TrafficGate::RouterOf(
    const model::LoadBalancer& balancer) {
  std::lock_guard lock(mu_);
  auto it = connected_.find(balancer.name);
  if (it != connected_.end()) return it->second;
  auto router = routers_.Connect(balancer, desired_.cluster);
  if (!router.ok()) return router.status();
  connected_[balancer.name] = *router;
  return *router;
}

Result<std::vector<traffic::Target>> TrafficGate::List(const model::LoadBalancer& balancer,
                                                       const std::string& backend) {
  auto router = RouterOf(balancer);
  if (!router.ok()) return router.status();
  return (*router)->List(backend);
}

TargetListing TrafficGate::ListAll() {
  TargetListing out;
  for (const auto& lb : desired_.cluster.load_balancers) {
    Status down;  // the balancer did not answer: its other groups are not asked
    for (const auto& tg : lb.target_groups) {
      if (!down.ok()) {
        out.emplace(tg.name, down);
        continue;
      }
      auto router = RouterOf(lb);
      auto listed = router.ok() ? (*router)->List(tg.backend)
                                : Result<std::vector<traffic::Target>>(router.status());
      const auto code = listed.ok() ? Status::Code::kOk : listed.status().code();
      if (!router.ok() || code == Status::Code::kUnreachable || code == Status::Code::kTimeout) {
        down = listed.status();
      }
      out.emplace(tg.name, std::move(listed));
    }
  }
  return out;
}

Status TrafficGate::AdmitOne(traffic::Router& router, const Binding& b,
                             const traffic::Target& target) {
  const std::string& pool = b.group->backend;
  const std::string where = "target " + target.name + " of " + b.group->name;
  if (auto st = router.Register(pool, target); !st.ok()) return st;
  const auto deadline = clock_.Now() + times_.check_timeout;
  for (;;) {
    auto listed = router.List(pool);
    if (!listed.ok()) return listed.status();
    const traffic::Target* t = Find(*listed, target.name);
    if (!t) return Status::NotFound(where + " disappeared from backend " + pool);
    if (!t->checked || t->health == traffic::TargetHealth::kUp) break;
    if (clock_.Now() >= deadline) {
      return Status::Timeout(where + " did not pass the balancer's check within " +
                             Seconds(times_.check_timeout) + " (" +
                             traffic::TargetHealthName(t->health) + ")");
    }
    clock_.SleepFor(times_.poll);
  }
  if (!b.group->health_check_path.empty() && probe_) {
    for (;;) {
      Status st = probe_(target.address, target.port, b.group->health_check_path);
      if (st.ok()) break;
      if (clock_.Now() >= deadline) {
        return Status::Timeout(where + ": GET " + b.group->health_check_path + ": " + st.message());
      }
      clock_.SleepFor(times_.poll);
    }
  }
  return router.SetState(pool, target.name, traffic::TargetState::kReady);
}

Status TrafficGate::Admit(const std::string& service, const std::string& host,
                          const std::string& task_id,
                          const std::vector<runtime::ContainerSummary>& task_containers) {
  const model::Service* s = desired_.FindService(service);
  const model::Host* h = desired_.cluster.FindHost(host);
  if (!s || !h) return Status::Ok();
  for (const auto& b : BindingsOf(desired_, *s)) {
    auto port = PublishedPort(task_containers, b.container, b.container_port);
    if (!port) {
      return Status::Invalid("task " + task_id + " publishes no host port for " + b.container +
                             ":" + std::to_string(b.container_port) + "/tcp");
    }
    auto router = RouterOf(*b.balancer);
    if (!router.ok()) return router.status();
    traffic::Target target;
    target.name = traffic::TargetName(service, task_id);
    target.address = model::HostAddress(*h);
    target.port = *port;
    if (auto st = AdmitOne(**router, b, target); !st.ok()) return st;
    spdlog::debug("{}: target {} ({}:{}) ready in {}", service, target.name, target.address,
                  target.port, b.group->name);
  }
  return Status::Ok();
}

Status TrafficGate::ReleaseOne(traffic::Router& router, const Binding& b, const std::string& name,
                               bool at_once, const std::function<void()>& draining) {
  const std::string& pool = b.group->backend;
  if (!at_once) {
    auto st = router.SetState(pool, name, traffic::TargetState::kDrain);
    if (st.code() == Status::Code::kNotFound) return Status::Ok();  // not a target (any more)
    if (!st.ok()) return st;
    if (draining) draining();
    const auto deadline = clock_.Now() + b.group->deregistration_delay;
    int idle = 0;  // consecutive polls without a connection
    while (clock_.Now() < deadline) {
      auto listed = router.List(pool);
      if (!listed.ok()) return listed.status();
      const traffic::Target* t = Find(*listed, name);
      if (!t) return Status::Ok();
      if (t->connections && *t->connections == 0 && ++idle >= 2) break;
      if (!t->connections || *t->connections > 0) idle = 0;
      clock_.SleepFor(times_.poll);
    }
  }
  return router.Deregister(pool, name);
}

Status TrafficGate::Release(const std::string& service, const std::string& task_id, bool at_once,
                            const std::function<void()>& draining) {
  bool told = false;
  auto once = [&] {
    if (!told && draining) draining();
    told = true;
  };
  const model::Service* s = desired_.FindService(service);
  if (!s || !times_.drain) return Status::Ok();
  for (const auto& b : BindingsOf(desired_, *s)) {
    auto router = RouterOf(*b.balancer);
    if (!router.ok()) return router.status();
    if (auto st = ReleaseOne(**router, b, traffic::TargetName(service, task_id), at_once, once);
        !st.ok()) {
      return st;
    }
  }
  return Status::Ok();
}

Status TrafficGate::Apply(const TargetChange& change) {
  const model::LoadBalancer* lb = nullptr;
  const model::TargetGroup* tg = desired_.cluster.FindTargetGroup(change.group, &lb);
  if (!tg) return Status::NotFound("no target group " + change.group);
  auto router = RouterOf(*lb);
  if (!router.ok()) return router.status();
  Binding b{lb, tg, "", 0};
  switch (change.kind) {
    case TargetChange::Kind::kRegister: {
      traffic::Target t;
      t.name = change.name;
      t.address = change.address;
      t.port = change.port;
      return AdmitOne(**router, b, t);
    }
    case TargetChange::Kind::kDeregister:
      return (*router)->Deregister(tg->backend, change.name);
    case TargetChange::Kind::kReady:
      return (*router)->SetState(tg->backend, change.name, traffic::TargetState::kReady);
  }
  return Status::Ok();
}

SyncReport TrafficGate::Sync(const observe::ObservedState& observed) {
  SyncReport report;
  const auto desired = DesiredTargets(desired_, observed);
  for (const auto& lb : desired_.cluster.load_balancers) {
    for (const auto& tg : lb.target_groups) {
      std::vector<DesiredTarget> mine;
      for (const auto& d : desired) {
        if (d.balancer == lb.name && d.group == tg.name) mine.push_back(d);
      }
      auto listed = List(lb, tg.backend);
      if (!listed.ok()) {
        report.errors.push_back(lb.name + "/" + tg.name + ": " + listed.status().message());
        continue;
      }
      for (const auto& change : DiffTargets(lb, tg, mine, *listed)) {
        if (change.kind == TargetChange::Kind::kDeregister &&
            targets::MayRunUnseen(observed, change.name)) {
          continue;
        }
        if (auto st = Apply(change); !st.ok()) {
          report.errors.push_back(lb.name + "/" + tg.name + ": " + TargetChangeName(change.kind) +
                                  " " + change.name + ": " + st.message());
          continue;
        }
        report.applied.push_back(change);
      }
    }
  }
  return report;
}

}  // namespace stowage::apply
