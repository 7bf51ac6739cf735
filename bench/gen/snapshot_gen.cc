// Builds the container lists of a generated cluster (see snapshot_gen.h).
#include "gen/snapshot_gen.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "apply/container_spec.h"
#include "gen/rng.h"
#include "model/labels.h"
#include "model/revision.h"
#include "query/query.h"

namespace stowage::bench {
namespace {

constexpr std::int64_t kEpoch = 1'750'000'000;  // "now" of the generated snapshot
constexpr int kFirstDynamicPort = 32768;

// Per-host bookkeeping while placing.
struct HostLoad {
  const model::Host* host = nullptr;
  model::Resources free;
  std::vector<std::string> groups;  // distinct task groups ("service:web")
  std::set<int> static_ports;
  int tasks = 0;
  int next_dynamic_port = kFirstDynamicPort;
  SnapshotHost* out = nullptr;

  bool HasGroup(const std::string& g) const {
    return std::find(groups.begin(), groups.end(), g) != groups.end();
  }
};

// What one task needs from a host.
struct Demand {
  std::string group;
  int cpu = 0;
  int memory = 0;
  std::vector<int> static_ports;
  bool distinct = false;
  std::vector<query::Query> queries;
};

Demand DemandOf(const model::Service& s, const model::TaskDefinition& td) {
  Demand d;
  d.group = query::ServiceTaskGroup(s.name);
  d.cpu = td.CpuUnits();
  d.memory = td.MemoryMiB();
  for (const auto& c : td.containers) {
    for (const auto& p : c.port_mappings) {
      if (p.host_port) d.static_ports.push_back(p.host_port);
    }
  }
  auto add = [&](const std::vector<model::PlacementConstraint>& pcs) {
    for (const auto& pc : pcs) {
      if (pc.type == "distinctInstance") d.distinct = true;
      if (pc.type != "memberOf") continue;
      if (auto q = query::ParseQuery(pc.expression); q.ok()) d.queries.push_back(std::move(*q));
    }
  };
  add(s.placement_constraints);
  add(td.placement_constraints);
  return d;
}

bool Fits(const HostLoad& h, const Demand& d) {
  if (h.free.cpu < d.cpu || h.free.memory < d.memory) return false;
  if (d.distinct && h.HasGroup(d.group)) return false;
  for (int p : d.static_ports) {
    if (h.static_ports.count(p)) return false;
  }
  query::HostFacts facts{h.host->name, &h.host->attributes, h.tasks, h.groups};
  return std::all_of(d.queries.begin(), d.queries.end(),
                     [&](const query::Query& q) { return q.Matches(facts); });
}

// A host that takes the task: a few random probes, then a scan from a random start.
HostLoad* FindHost(std::vector<HostLoad>& hosts, const Demand& d, Rng& rng) {
  const int n = static_cast<int>(hosts.size());
  for (int probe = 0; probe < 16; ++probe) {
    auto& h = hosts[static_cast<std::size_t>(rng.Below(n))];
    if (Fits(h, d)) return &h;
  }
  const int start = rng.Below(n);
  for (int k = 0; k < n; ++k) {
    auto& h = hosts[static_cast<std::size_t>((start + k) % n)];
    if (Fits(h, d)) return &h;
  }
  return nullptr;
}

void Take(HostLoad& h, const Demand& d) {
  h.free.cpu -= d.cpu;
  h.free.memory -= d.memory;
  if (!h.HasGroup(d.group)) h.groups.push_back(d.group);
  for (int p : d.static_ports) h.static_ports.insert(p);
  ++h.tasks;
}

// The previous revision of a task definition: an older image tag on the main container.
model::TaskDefinition PreviousRevision(const model::TaskDefinition& td) {
  model::TaskDefinition prev = td;
  prev.containers.front().image += "-prev";
  prev.revision = model::ComputeRevision(prev);
  return prev;
}

enum class Spoil { kNone, kExited, kUnhealthy, kDrifted, kMissing };

class SnapshotBuilder {
 public:
  SnapshotBuilder(const GeneratedSource& source, const SnapshotSpec& spec)
      : source_(source), spec_(spec), rng_(spec.seed) {
    for (const auto& td : source.desired.task_definitions) families_[td.family] = &td;
  }

  GeneratedSnapshot Build() {
    const auto& cluster = source_.desired.cluster;
    out_.cluster = cluster.name;
    out_.hosts.resize(cluster.hosts.size());
    for (std::size_t i = 0; i < cluster.hosts.size(); ++i) {
      const auto& h = cluster.hosts[i];
      HostLoad load;
      load.host = &h;
      const model::Resources cap = h.capacity.value_or(model::Resources{32 * 1024, 65536});
      load.free = {cap.cpu - h.reserved.cpu, cap.memory - h.reserved.memory};
      load.out = &out_.hosts[i];
      load.out->host = h.name;
      load.out->info = Info(h, cap);
      hosts_.push_back(std::move(load));
    }
    // DAEMON services first, as the scheduler places them.
    for (int pass = 0; pass < 2; ++pass) {
      for (const auto& s : source_.desired.services) {
        const bool daemon = s.scheduling_strategy == model::SchedulingStrategy::kDaemon;
        if (daemon == (pass == 0)) PlaceService(s);
      }
    }
    AddRemovedServices();
    return std::move(out_);
  }

 private:
  static runtime::HostInfo Info(const model::Host& h, const model::Resources& cap) {
    runtime::HostInfo info;
    info.name = h.name;
    info.engine_version = "20.10.24";
    info.api_version = "1.41";
    info.os = "linux";
    info.arch = "x86_64";
    info.ncpu = cap.cpu / 1024;
    info.memory_bytes = static_cast<std::int64_t>(cap.memory) * 1024 * 1024;
    return info;
  }

  void PlaceService(const model::Service& s) {
    auto it = families_.find(s.task_definition);
    if (it == families_.end()) return;
    const model::TaskDefinition* td = it->second;
    const Demand demand = DemandOf(s, *td);
    const bool daemon = s.scheduling_strategy == model::SchedulingStrategy::kDaemon;
    int count = daemon ? static_cast<int>(hosts_.size()) : s.desired_count;
    if (rng_.Chance(spec_.deficit) && count > 0) {
      --count;
      ++out_.truth.deficit_services;
    } else if (!daemon && rng_.Chance(spec_.surplus)) {
      ++count;
      ++out_.truth.surplus_services;
    }
    // Mid-deployment: some or all tasks on the previous revision.
    int old_tasks = 0;
    model::TaskDefinition prev;
    if (!daemon && rng_.Chance(spec_.old_revision)) {
      prev = PreviousRevision(*td);
      old_tasks = rng_.Chance(0.5) ? count : (count + 1) / 2;
    }
    for (int k = 0; k < count; ++k) {
      HostLoad* h =
          daemon ? DaemonHost(static_cast<std::size_t>(k), demand) : FindHost(hosts_, demand, rng_);
      if (!h) {
        out_.truth.unplaced_tasks += daemon ? 0 : 1;
        continue;
      }
      Take(*h, demand);
      const bool old = k < old_tasks;
      AddTask(*h, s.name, old ? prev : *td, old);
    }
  }

  HostLoad* DaemonHost(std::size_t index, const Demand& d) {
    auto& h = hosts_[index];
    return Fits(h, d) ? &h : nullptr;
  }

  void AddTask(HostLoad& h, const std::string& service, const model::TaskDefinition& td, bool old) {
    apply::TaskIdentity id{out_.cluster, h.host->name, service, rng_.Hex(12)};
    auto spec = apply::BuildTaskSpec(td, id, [](const std::string&) -> Result<std::string> {
      return std::string("generated-secret");
    });
    if (!spec.ok()) return;
    const Spoil spoil = PickSpoil();
    const std::int64_t created = kEpoch - rng_.Between(60, 30 * 86400);
    std::size_t kept = spec->containers.size();
    if (spoil == Spoil::kMissing && kept > 1) {
      --kept;
      ++out_.truth.missing_container_tasks;
    }
    bool counted = false;
    for (std::size_t i = 0; i < kept; ++i) {
      auto summary = Summarize(h, spec->containers[i], created);
      // The main container is the definition's first (start order may put sidecars first).
      const bool main = spec->containers[i].name == td.containers.front().name;
      counted |= SpoilContainer(summary, spec->containers[i], spoil, main);
      h.out->containers.push_back(std::move(summary));
      ++out_.truth.containers;
    }
    if (counted) CountSpoil(spoil);
    ++out_.truth.tasks;
    out_.truth.old_revision_tasks += old;
  }

  Spoil PickSpoil() {
    double r = static_cast<double>(rng_.Next() >> 11) * 0x1.0p-53;
    for (auto [p, s] :
         {std::pair{spec_.exited, Spoil::kExited}, std::pair{spec_.unhealthy, Spoil::kUnhealthy},
          std::pair{spec_.drifted, Spoil::kDrifted},
          std::pair{spec_.missing_container, Spoil::kMissing}}) {
      if (r < p) return s;
      r -= p;
    }
    return Spoil::kNone;
  }

  runtime::ContainerSummary Summarize(HostLoad& h, const apply::ContainerPlan& cp,
                                      std::int64_t created) {
    runtime::ContainerSummary c;
    c.id = rng_.Hex(64);
    c.name = cp.spec.name;
    c.image = cp.spec.image;
    c.state = runtime::ContainerState::kRunning;
    c.health = cp.spec.healthcheck ? runtime::Health::kHealthy : runtime::Health::kNone;
    c.labels = cp.spec.labels;
    for (const auto& b : cp.spec.ports) {
      const int port = b.host_port ? b.host_port : h.next_dynamic_port++;
      c.ports.push_back({b.container_port, port, b.protocol});
    }
    c.created = created;
    return c;
  }

  // Applies the task's spoil to one container; true when it took effect.
  bool SpoilContainer(runtime::ContainerSummary& c, const apply::ContainerPlan& cp, Spoil spoil,
                      bool main) {
    switch (spoil) {
      case Spoil::kExited:
        if (!main) return false;
        c.state = runtime::ContainerState::kExited;
        c.health = runtime::Health::kNone;
        c.exit_code = rng_.Chance(0.5) ? 1 : 137;
        c.ports.clear();
        return true;
      case Spoil::kUnhealthy:
        if (!cp.spec.healthcheck) return false;
        c.health = runtime::Health::kUnhealthy;
        return true;
      case Spoil::kDrifted:
        if (!main) return false;
        if (rng_.Chance(0.5) && c.labels.count("team")) {
          c.labels["team"] = "changed-by-hand";
        } else {
          c.labels[labels::kSpecHash] = rng_.Hex(32);
        }
        return true;
      default:
        return false;
    }
  }

  void CountSpoil(Spoil spoil) {
    if (spoil == Spoil::kExited) ++out_.truth.exited_tasks;
    if (spoil == Spoil::kUnhealthy) ++out_.truth.unhealthy_tasks;
    if (spoil == Spoil::kDrifted) ++out_.truth.drifted_tasks;
  }

  // Tasks of services that were deleted from the source (prune candidates).
  void AddRemovedServices() {
    const auto& d = source_.desired;
    const int removed =
        static_cast<int>(spec_.removed_services * static_cast<double>(d.services.size()));
    for (int i = 0; i < removed && !d.task_definitions.empty(); ++i) {
      model::TaskDefinition td =
          d.task_definitions[static_cast<std::size_t>(i) % d.task_definitions.size()];
      char name[32];
      std::snprintf(name, sizeof name, "legacy-%04d", i);
      td.family = name;
      td.placement_constraints.clear();
      td.revision = model::ComputeRevision(td);
      std::snprintf(name, sizeof name, "gone-%04d", i);
      model::Service s;
      s.name = name;
      const Demand demand = DemandOf(s, td);
      for (int k = rng_.Between(1, 3); k > 0; --k) {
        HostLoad* h = FindHost(hosts_, demand, rng_);
        if (!h) break;
        Take(*h, demand);
        const int before = out_.truth.tasks;
        AddTask(*h, s.name, td, false);
        out_.truth.removed_service_tasks += out_.truth.tasks - before;
      }
    }
  }

  const GeneratedSource& source_;
  const SnapshotSpec& spec_;
  Rng rng_;
  std::map<std::string, const model::TaskDefinition*> families_;
  std::vector<HostLoad> hosts_;
  GeneratedSnapshot out_;
};

}  // namespace

GeneratedSnapshot GenerateSnapshot(const GeneratedSource& source, const SnapshotSpec& spec) {
  return SnapshotBuilder(source, spec).Build();
}

observe::Snapshot ToSnapshot(const GeneratedSnapshot& snapshot) {
  observe::Snapshot out;
  out.cluster = snapshot.cluster;
  out.hosts.reserve(snapshot.hosts.size());
  for (const auto& h : snapshot.hosts) {
    observe::HostSnapshot hs;
    hs.host = h.host;
    hs.info = h.info;
    hs.containers = h.containers;
    out.hosts.push_back(std::move(hs));
  }
  return out;
}

nlohmann::json SnapshotJson(const GeneratedSnapshot& snapshot) {
  using nlohmann::json;
  const auto& t = snapshot.truth;
  json out = {{"cluster", snapshot.cluster},
              {"truth",
               {{"tasks", t.tasks},
                {"containers", t.containers},
                {"oldRevisionTasks", t.old_revision_tasks},
                {"exitedTasks", t.exited_tasks},
                {"unhealthyTasks", t.unhealthy_tasks},
                {"driftedTasks", t.drifted_tasks},
                {"missingContainerTasks", t.missing_container_tasks},
                {"removedServiceTasks", t.removed_service_tasks},
                {"deficitServices", t.deficit_services},
                {"surplusServices", t.surplus_services},
                {"unplacedTasks", t.unplaced_tasks}}}};
  json hosts = json::array();
  for (const auto& h : snapshot.hosts) {
    json containers = json::array();
    for (const auto& c : h.containers) {
      json ports = json::array();
      for (const auto& p : c.ports) {
        ports.push_back({{"containerPort", p.container_port},
                         {"hostPort", p.host_port},
                         {"protocol", p.protocol}});
      }
      json j = {{"id", c.id},
                {"name", c.name},
                {"image", c.image},
                {"state", runtime::ContainerStateName(c.state)},
                {"health", runtime::HealthName(c.health)},
                {"labels", c.labels},
                {"ports", ports},
                {"created", c.created}};
      if (c.exit_code) j["exitCode"] = *c.exit_code;
      containers.push_back(std::move(j));
    }
    hosts.push_back({{"host", h.host},
                     {"info",
                      {{"name", h.info.name},
                       {"ncpu", h.info.ncpu},
                       {"memoryBytes", h.info.memory_bytes},
                       {"engineVersion", h.info.engine_version}}},
                     {"containers", std::move(containers)}});
  }
  out["hosts"] = std::move(hosts);
  return out;
}

}  // namespace stowage::bench
