// Builds the DesiredState of a synthetic source (see source_gen.h).
#include "gen/source_gen.h"

#include <algorithm>
#include <cstdio>

#include "gen/rng.h"
#include "model/revision.h"
#include "query/query.h"

namespace stowage::bench {
namespace {

using model::ContainerDefinition;
using model::PlacementConstraint;
using model::PlacementStrategy;
using model::Service;
using model::TaskDefinition;

const std::vector<std::string> kZones = {"eu-1a", "eu-1b", "eu-1c"};
constexpr int kHostCpu = 32 * 1024;  // 32 vCPU
constexpr int kHostMemory = 65536;   // MiB
constexpr int kHostsPerRack = 20;

std::string Numbered(const char* prefix, int i, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%0*d", prefix, width, i);
  return buf;
}

std::string HostName(int i) { return Numbered("host", i, 4); }
std::string ServiceName(int i) { return Numbered("svc", i, 5); }
std::string FamilyName(int i) { return Numbered("app", i, 5); }

std::string Rack(int host) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "r%02d", host / kHostsPerRack);
  return buf;
}

std::string HostClass(int i) {
  const int r = i % 10;
  return r < 7 ? "general" : (r < 9 ? "compute" : "memory");
}

model::Cluster MakeCluster(const SourceSpec& spec) {
  model::Cluster c;
  c.name = spec.cluster;
  for (int i = 0; i < spec.hosts; ++i) {
    model::Host h;
    h.name = HostName(i);
    h.endpoint = "tcp://10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) +
                 "." + std::to_string(i % 256) + ":2375";
    h.attributes = {{"zone", kZones[static_cast<std::size_t>(i) % kZones.size()]},
                    {"class", HostClass(i)},
                    {"rack", Rack(i)}};
    h.capacity = model::Resources{kHostCpu, kHostMemory};
    h.reserved = {256, 1024};
    c.hosts.push_back(std::move(h));
  }
  return c;
}

model::HealthCheck MakeHealthCheck(Rng& rng) {
  model::HealthCheck hc;
  hc.command = {"CMD-SHELL", "wget -q -O- http://localhost:8080/health || exit 1"};
  hc.interval = rng.Pick(std::vector<int>{5, 10, 30});
  hc.timeout = 3;
  hc.retries = rng.Between(2, 5);
  hc.start_period = rng.Pick(std::vector<int>{0, 5, 15});
  return hc;
}

ContainerDefinition MainContainer(int i, Rng& rng) {
  ContainerDefinition c;
  c.name = "app";
  c.image = "registry.local/app-" + std::to_string(i % 97) + ":1." + std::to_string(rng.Below(20));
  c.cpu = 64 * rng.Between(1, 8);
  c.memory_reservation = 64 * rng.Between(2, 12);
  if (rng.Chance(0.5)) c.memory = *c.memory_reservation * 2;
  c.command = {"/bin/app", "--port", "8080"};
  c.environment = {{"SERVICE", ServiceName(i)}, {"LOG_LEVEL", rng.Chance(0.8) ? "info" : "debug"}};
  for (int e = rng.Below(4); e > 0; --e) {
    c.environment.push_back({"FEATURE_" + std::to_string(e), rng.Chance(0.5) ? "true" : "0"});
  }
  model::PortMapping pm;
  pm.container_port = 8080;
  c.port_mappings.push_back(pm);
  if (rng.Chance(0.4)) c.health_check = MakeHealthCheck(rng);
  c.docker_labels = {{"team", rng.Pick(std::vector<std::string>{"core", "web", "data", "ops"})}};
  if (rng.Chance(0.3))
    c.log_configuration = model::LogConfiguration{"json-file", {{"max-size", "10m"}}};
  if (rng.Chance(0.2)) c.stop_timeout = 10;
  return c;
}

ContainerDefinition Sidecar(int k, Rng& rng) {
  ContainerDefinition c;
  c.name = k == 1 ? "log-router" : "metrics";
  c.image = k == 1 ? "registry.local/fluent-bit:2.1" : "registry.local/exporter:0.9";
  c.cpu = 32;
  c.memory_reservation = 32 * rng.Between(1, 4);
  c.essential = false;
  if (k == 2) {
    model::PortMapping pm;
    pm.container_port = 9100;
    c.port_mappings.push_back(pm);
  }
  return c;
}

TaskDefinition MakeTaskDefinition(int i, bool static_port, Rng& rng) {
  TaskDefinition td;
  td.family = FamilyName(i);
  td.containers.push_back(MainContainer(i, rng));
  const int sidecars = rng.Chance(0.7) ? 0 : (rng.Chance(0.8) ? 1 : 2);
  for (int k = 1; k <= sidecars; ++k) td.containers.push_back(Sidecar(k, rng));
  if (sidecars > 0 && rng.Chance(0.5)) {
    td.containers.front().depends_on.push_back(
        {"log-router", model::DependencyCondition::kStart, {}});
  }
  if (static_port) td.containers.front().port_mappings.front().host_port = 10000 + i;
  if (rng.Chance(0.3)) {
    int memory = 0;
    for (const auto& c : td.containers)
      memory += c.memory.value_or(c.memory_reservation.value_or(0));
    td.cpu = (td.CpuUnits() + 127) / 128 * 128;
    td.memory = (memory + 127) / 128 * 128;
  }
  if (rng.Chance(0.1)) td.tags = {{"cost-center", "cc-" + std::to_string(i % 13)}};
  return td;
}

std::string Constraint(int i, int services, Rng& rng) {
  switch (rng.Below(6)) {
    case 0:
      return "attribute:zone in [eu-1a, eu-1b]";
    case 1:
      return "attribute:class != memory";
    case 2:
      return "attribute:zone == " + rng.Pick(kZones) + " or attribute:class == compute";
    case 3:
      return "attribute:rack =~ r0.*";
    case 4:
      return "not (task:group == " + ServiceName((i + 1) % services) + ")";
    default:
      return "attribute:class in [general, compute] and runningTasksCount < 200";
  }
}

std::vector<PlacementStrategy> Strategies(Rng& rng) {
  const int kind = rng.Below(10);
  if (kind < 4) return {{"spread", "attribute:zone", {}}, {"spread", "instanceId", {}}};
  if (kind < 6) return {{"binpack", "memory", {}}};
  if (kind < 7) return {{"random", "", {}}};
  if (kind < 8) return {{"spread", "attribute:zone", {}}, {"binpack", "cpu", {}}};
  return {};  // default: spread on host
}

Service MakeService(int i, const TaskDefinition& td, int count, int services, bool daemon,
                    bool static_port, Rng& rng) {
  Service s;
  s.name = ServiceName(i);
  s.task_definition = td.family;
  if (rng.Chance(0.3)) s.task_revision = rng.Between(1, 40);
  if (daemon) {
    s.scheduling_strategy = model::SchedulingStrategy::kDaemon;
    s.deployment_configuration.minimum_healthy_percent = 50;
    s.deployment_configuration.maximum_percent = 100;
    if (rng.Chance(0.5))
      s.placement_constraints.push_back({"memberOf", "attribute:class != memory", {}});
    return s;
  }
  s.desired_count = count;
  if (rng.Chance(0.3))
    s.placement_constraints.push_back({"memberOf", Constraint(i, services, rng), {}});
  if (static_port || rng.Chance(0.05))
    s.placement_constraints.push_back({"distinctInstance", "", {}});
  s.placement_strategy = Strategies(rng);
  if (rng.Chance(0.3)) {
    s.deployment_configuration.minimum_healthy_percent = 50;
    s.deployment_configuration.maximum_percent = 200;
  }
  if (rng.Chance(0.4)) s.deployment_configuration.circuit_breaker = {true, rng.Chance(0.7)};
  if (rng.Chance(0.2)) s.health_check_grace_period_seconds = 30;
  if (rng.Chance(0.1)) s.tags = {{"owner", "team-" + std::to_string(i % 7)}};
  return s;
}

// Replica desiredCounts summing exactly to `total`: a skewed mix (mostly 1-5, a few large).
std::vector<int> ReplicaCounts(int services, int total, Rng& rng) {
  std::vector<int> weights(static_cast<std::size_t>(services));
  long long sum = 0;
  for (auto& w : weights) {
    w = rng.Chance(0.05) ? rng.Between(10, 30) : rng.Between(1, 6);
    sum += w;
  }
  std::vector<int> counts(weights.size());
  int assigned = 0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    counts[k] = std::max(1, static_cast<int>(weights[k] * static_cast<long long>(total) / sum));
    assigned += counts[k];
  }
  for (std::size_t k = 0; assigned < total; k = (k + 7) % counts.size(), ++assigned) ++counts[k];
  for (std::size_t k = 0; assigned > total; k = (k + 7) % counts.size()) {
    if (counts[k] > 1) --counts[k], --assigned;
  }
  return counts;
}

int EligibleHosts(const Service& s, const model::Cluster& cluster) {
  std::vector<query::Query> queries;
  for (const auto& pc : s.placement_constraints) {
    if (pc.type == "memberOf") queries.push_back(*query::ParseQuery(pc.expression));
  }
  int n = 0;
  for (const auto& h : cluster.hosts) {
    query::HostFacts facts{h.name, &h.attributes, 0, {}};
    n += std::all_of(queries.begin(), queries.end(),
                     [&](const query::Query& q) { return q.Matches(facts); });
  }
  return n;
}

}  // namespace

Result<SourceSpec> SourceSpec::Named(const std::string& size) {
  if (size == "M") return Medium();
  if (size == "L") return Large();
  if (size == "S") return SourceSpec{40, 120, 8, 1, "bench"};
  return Status::Invalid("size: expected S, M or L, got \"" + size + "\"");
}

GeneratedSource GenerateSource(const SourceSpec& spec) {
  GeneratedSource out;
  out.spec = spec;
  Rng rng(spec.seed);
  auto& d = out.desired;
  d.cluster = MakeCluster(spec);
  d.source_revision = "generated-" + std::to_string(spec.seed);
  const int daemons =
      std::clamp(spec.tasks / 20 / std::max(1, spec.hosts), 1, std::max(1, spec.services / 10));
  const int replicas = spec.services - daemons;
  const auto counts = ReplicaCounts(std::max(1, replicas),
                                    std::max(replicas, spec.tasks - daemons * spec.hosts), rng);
  int replica_index = 0;
  for (int i = 0; i < spec.services; ++i) {
    // Daemons are spread through the numbering, not all first.
    const bool daemon = daemons > 0 && i % (spec.services / daemons) == 0 &&
                        i / (spec.services / daemons) < daemons;
    const int count = daemon ? 0 : counts[static_cast<std::size_t>(replica_index++)];
    const bool static_port = !daemon && count <= spec.hosts / 4 && rng.Chance(0.05);
    TaskDefinition td = MakeTaskDefinition(i, static_port, rng);
    td.revision = model::ComputeRevision(td);
    Service s = MakeService(i, td, count, spec.services, daemon, static_port, rng);
    out.desired_tasks += daemon ? EligibleHosts(s, d.cluster) : count;
    out.daemon_services += daemon;
    d.task_definitions.push_back(std::move(td));
    d.services.push_back(std::move(s));
  }
  return out;
}

}  // namespace stowage::bench
