// Services (the create-service document) and clusters.
#include <filesystem>

#include "load/decode.h"
#include "load/fields.h"
#include "util/duration.h"

namespace stowage::load {
namespace {

// "web", "web:3", "arn:aws:ecs:eu-west-1:1234:task-definition/web:3".
void DecodeTaskReference(const Fields& f, model::Service& out) {
  std::string ref = f.String("taskDefinition");
  if (auto slash = ref.rfind('/'); slash != std::string::npos) ref = ref.substr(slash + 1);
  if (auto colon = ref.find(':'); colon != std::string::npos) {
    auto revision = ParseInteger(ref.substr(colon + 1));
    if (revision && *revision >= 0 && *revision <= 2147483647) {
      out.task_revision = static_cast<int>(*revision);
    }
    ref = ref.substr(0, colon);
  }
  out.task_definition = ref;
  out.task_definition_position = f.PositionOf("taskDefinition");
}

void DecodeDeployment(const Fields& f, model::Service& out) {
  auto& dc = out.deployment_configuration;
  if (out.scheduling_strategy == model::SchedulingStrategy::kDaemon) {
    // ECS defaults for DAEMON services: stop one, then start its replacement.
    dc.minimum_healthy_percent = 0;
    dc.maximum_percent = 100;
  }
  dc.position = f.PositionOf("deploymentConfiguration");
  const Value* v = f.Get("deploymentConfiguration");
  if (!v || !v->IsObject()) return;
  Fields d(*v, f.PathOf("deploymentConfiguration"), f.diags());
  dc.minimum_healthy_percent = d.Int("minimumHealthyPercent", dc.minimum_healthy_percent);
  dc.maximum_percent = d.Int("maximumPercent", dc.maximum_percent);
  if (const Value* cb = d.Get("deploymentCircuitBreaker"); cb && cb->IsObject()) {
    Fields c(*cb, d.PathOf("deploymentCircuitBreaker"), f.diags());
    dc.circuit_breaker.enable = c.Bool("enable", false);
    dc.circuit_breaker.rollback = c.Bool("rollback", false);
  }
}

void DecodePlacement(const Fields& f, model::Service& out) {
  ForEachItem(f, "placementConstraints", [&](const Fields& p, const Value& item) {
    out.placement_constraints.push_back(
        {p.String("type"), p.String("expression"),
         p.Get("expression") ? p.PositionOf("expression") : item.loc.ToPosition()});
  });
  ForEachItem(f, "placementStrategy", [&](const Fields& p, const Value& item) {
    out.placement_strategy.push_back({p.String("type"), p.String("field"), item.loc.ToPosition()});
  });
}

// ECS `loadBalancers`: kept as written; check/ resolves them against the cluster.
void DecodeBindings(const Value& doc, const Fields& f, model::Service& out) {
  const Member* key = doc.FindMember("loadBalancers");
  if (!key) return;
  out.load_balancers_position = key->key_loc.ToPosition();
  ForEachItem(f, "loadBalancers", [&](const Fields& b, const Value& item) {
    model::LoadBalancerBinding binding;
    binding.target_group_arn = b.String("targetGroupArn");
    binding.load_balancer_name = b.String("loadBalancerName");
    binding.container_name = b.String("containerName");
    binding.container_port = b.Int("containerPort", 0);
    binding.position = item.loc.ToPosition();
    binding.target_group_position =
        b.PositionOf(b.Get("targetGroupArn") ? "targetGroupArn" : "loadBalancerName");
    binding.container_name_position = b.PositionOf("containerName");
    binding.container_port_position = b.PositionOf("containerPort");
    out.load_balancers.push_back(std::move(binding));
  });
}

// stowage `dependsOn`: each entry names exactly one of a service or a task
// family (the schema checked the rest); check/ resolves the names.
void DecodeDependencies(const Fields& f, model::Service& out) {
  ForEachItem(f, "dependsOn", [&](const Fields& d, const Value& item) {
    model::ServiceDependency dep;
    dep.service = d.String("service");
    dep.task_family = d.String("taskDefinition");
    dep.condition = model::ParseServiceCondition(d.String("condition"))
                        .value_or(model::ServiceCondition::kHealthy);
    dep.position = item.loc.ToPosition();
    dep.target_position = d.PositionOf(d.Get("taskDefinition") ? "taskDefinition" : "service");
    dep.condition_position = d.PositionOf("condition");
    const bool service = d.Get("service") != nullptr, task = d.Get("taskDefinition") != nullptr;
    if (service == task) {
      f.diags().Error(dep.position, d.path() + ": expected one of service or taskDefinition" +
                                        (service ? ", not both" : ""));
      return;
    }
    out.depends_on.push_back(std::move(dep));
  });
}

model::TargetGroup DecodeTargetGroup(const Fields& f, const Value& item) {
  model::TargetGroup tg;
  tg.name = f.String("name");
  tg.backend = f.String("backend");
  if (f.Get("deregistrationDelay")) {
    auto delay = ParseDuration(f.String("deregistrationDelay"));
    if (delay.ok()) tg.deregistration_delay = *delay;
  }
  tg.health_check_path = f.String("healthCheckPath");
  tg.position = item.loc.ToPosition();
  tg.name_position = f.PositionOf("name");
  tg.delay_position = f.PositionOf("deregistrationDelay");
  return tg;
}

model::LoadBalancer DecodeLoadBalancer(const Fields& f, const Value& item) {
  model::LoadBalancer lb;
  lb.name = f.String("name");
  lb.kind = f.String("kind", "haproxy");
  lb.runtime_api = f.String("runtimeApi");
  ForEachItem(f, "targetGroups", [&](const Fields& tg, const Value& tg_item) {
    lb.target_groups.push_back(DecodeTargetGroup(tg, tg_item));
  });
  lb.position = item.loc.ToPosition();
  lb.name_position = f.PositionOf("name");
  lb.runtime_api_position = f.PositionOf("runtimeApi");
  return lb;
}

model::Resources DecodeResources(const Fields& f, const char* key) {
  model::Resources r;
  if (const Value* v = f.Get(key); v && v->IsObject()) {
    Fields rf(*v, f.PathOf(key), f.diags());
    r.cpu = rf.Int("cpu", 0);
    r.memory = rf.Int("memory", 0);
  }
  return r;
}

std::string ResolvePath(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().generic_string();
}

// A tls path names a file of the source: relative to the cluster file, never
// absolute, never above the source root. Reports the problem; true when inside.
bool TlsPathInside(const Fields& t, const char* key) {
  const Value* v = t.Get(key);
  if (!v || !v->IsString() || v->text.empty()) return true;
  namespace fs = std::filesystem;
  const std::string file = v->loc.file ? *v->loc.file : "";
  const fs::path joined = (fs::path(file).parent_path() / v->text).lexically_normal();
  const std::string first = joined.empty() ? "" : joined.begin()->string();
  if (v->text[0] != '/' && first != "..") return true;
  t.diags().Error(v->loc.ToPosition(),
                  t.PathOf(key) +
                      ": expected a file inside the source (relative to the cluster "
                      "file), got " +
                      v->Describe() +
                      (v->text[0] == '/' ? " (an absolute path)" : " (it leaves the source)"));
  return false;
}

model::Host DecodeHost(const Fields& f, const Value& item, const std::string& base_dir) {
  model::Host h;
  h.name = f.String("name");
  h.endpoint = f.String("endpoint");
  if (const Value* tls = f.Get("tls"); tls && tls->IsObject()) {
    Fields t(*tls, f.PathOf("tls"), f.diags());
    // A path that leaves the source is reported and never kept (nor read).
    auto inside = [&](const char* key) {
      return TlsPathInside(t, key) ? ResolvePath(base_dir, t.String(key)) : std::string();
    };
    model::TlsFiles files;
    files.ca = inside("ca");
    files.cert = inside("cert");
    files.key = inside("key");
    h.tls_position = tls->loc.ToPosition();
    h.tls_ca_position = t.PositionOf("ca");
    h.tls_cert_position = t.PositionOf("cert");
    h.tls_key_position = t.PositionOf("key");
    h.tls = std::move(files);
  }
  if (const Value* ssh = f.Get("ssh"); ssh && ssh->IsObject()) {
    Fields sf(*ssh, f.PathOf("ssh"), f.diags());
    model::SshSettings settings;
    settings.user = sf.String("user");
    settings.port = sf.Int("port", 0);
    settings.options = sf.StringMap("options");
    settings.position = ssh->loc.ToPosition();
    settings.user_position = sf.PositionOf("user");
    settings.port_position = sf.PositionOf("port");
    settings.options_position = sf.PositionOf("options");
    h.ssh = std::move(settings);
  }
  h.host_key = f.String("hostKey");
  h.host_key_position = f.PositionOf("hostKey");
  h.attributes = f.StringMap("attributes");
  h.reserved = DecodeResources(f, "reserved");
  if (f.Get("capacity")) h.capacity = DecodeResources(f, "capacity");
  h.state = f.String("state", "active") == "draining" ? model::HostState::kDraining
                                                      : model::HostState::kActive;
  h.address = f.String("address");
  h.position = item.loc.ToPosition();
  h.name_position = f.PositionOf("name");
  h.endpoint_position = f.PositionOf("endpoint");
  return h;
}

}  // namespace

bool DecodeService(const Value& doc, model::Service& out, Diagnostics& diags) {
  const int errors_before = diags.errors();
  Fields f(doc, "", diags);
  out.name = f.String("serviceName");
  DecodeTaskReference(f, out);
  out.scheduling_strategy = f.String("schedulingStrategy") == "DAEMON"
                                ? model::SchedulingStrategy::kDaemon
                                : model::SchedulingStrategy::kReplica;
  out.desired_count = f.Int("desiredCount", 0);
  DecodeDeployment(f, out);
  DecodePlacement(f, out);
  out.name_position = f.PositionOf("serviceName");
  if (f.Get("desiredCount")) out.desired_count_position = f.PositionOf("desiredCount");
  out.placement_constraints_position = f.PositionIfGiven("placementConstraints");
  out.placement_strategy_position = f.PositionIfGiven("placementStrategy");
  out.health_check_grace_period_seconds = f.Int("healthCheckGracePeriodSeconds", 0);
  out.tags = f.Tags("tags");
  DecodeBindings(doc, f, out);
  DecodeDependencies(f, out);
  out.position = doc.loc.ToPosition();
  return diags.errors() == errors_before;
}

bool DecodeCluster(const Value& doc, const std::string& base_dir, model::Cluster& out,
                   Diagnostics& diags) {
  const int errors_before = diags.errors();
  Fields f(doc, "", diags);
  out.name = f.String("name");
  out.prune = f.Bool("prune", false);
  out.unreachable_grace_seconds =
      f.Int("unreachableGraceSeconds", model::kDefaultUnreachableGraceSeconds);
  ForEachItem(f, "hosts", [&](const Fields& h, const Value& item) {
    out.hosts.push_back(DecodeHost(h, item, base_dir));
  });
  ForEachItem(f, "loadBalancers", [&](const Fields& lb, const Value& item) {
    out.load_balancers.push_back(DecodeLoadBalancer(lb, item));
  });
  out.position = doc.loc.ToPosition();
  return diags.errors() == errors_before;
}

}  // namespace stowage::load
