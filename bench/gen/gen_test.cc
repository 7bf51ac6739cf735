// Tests of the benchmark data generators: deterministic, valid, consistent.
#define CATCH_CONFIG_MAIN
#include <yaml-cpp/yaml.h>
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "check/checks.h"
#include "gen/documents.h"
#include "gen/snapshot_gen.h"
#include "gen/source_gen.h"
#include "load/load_source.h"
#include "model/labels.h"
#include "plan/planner.h"
#include "query/query.h"
#include "source/source.h"

namespace stowage::bench {
namespace {

namespace fs = std::filesystem;

SourceSpec Small(std::uint64_t seed = 1) {
  auto s = *SourceSpec::Named("S");
  s.seed = seed;
  return s;
}

std::string Dump(const GeneratedSource& g) {
  std::string out = ClusterJson(g.desired.cluster).dump();
  for (const auto& td : g.desired.task_definitions)
    out += TaskDefinitionJson(td).dump() + td.revision;
  for (const auto& s : g.desired.services) out += ServiceJson(s).dump();
  return out;
}

// YAML back to JSON, numbers and booleans by their plain spelling, quoted scalars as strings.
nlohmann::ordered_json ToJson(const YAML::Node& n) {
  if (n.IsMap()) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& kv : n) j[kv.first.as<std::string>()] = ToJson(kv.second);
    return j;
  }
  if (n.IsSequence()) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& v : n) j.push_back(ToJson(v));
    return j;
  }
  const std::string s = n.as<std::string>();
  if (n.Tag() == "!") return s;  // quoted
  if (s == "true" || s == "false") return s == "true";
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) return std::stoll(s);
  return s;
}

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("stowage-gen-test-" + std::to_string(::getpid()));
    fs::remove_all(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("source generator is deterministic per seed", "[bench][gen]") {
  CHECK(Dump(GenerateSource(Small(1))) == Dump(GenerateSource(Small(1))));
  CHECK(Dump(GenerateSource(Small(1))) != Dump(GenerateSource(Small(2))));
}

TEST_CASE("source generator sizes and mix", "[bench][gen]") {
  const auto g = GenerateSource(SourceSpec::Medium());
  const auto& d = g.desired;
  REQUIRE(d.services.size() == 1000);
  REQUIRE(d.task_definitions.size() == 1000);
  REQUIRE(d.cluster.hosts.size() == 100);
  int replica_tasks = 0;
  int daemons = 0;
  std::map<std::string, int> strategies;
  int member_of = 0;
  int health = 0;
  for (const auto& s : d.services) {
    if (s.scheduling_strategy == model::SchedulingStrategy::kDaemon) {
      ++daemons;
    } else {
      replica_tasks += s.desired_count;
    }
    strategies[s.placement_strategy.empty() ? "default" : s.placement_strategy.front().type]++;
    for (const auto& pc : s.placement_constraints) member_of += pc.type == "memberOf";
  }
  for (const auto& td : d.task_definitions)
    health += td.containers.front().health_check.has_value();
  CHECK(daemons == 2);
  CHECK(g.daemon_services == 2);
  CHECK(replica_tasks == 5000 - 2 * 100);
  CHECK(g.desired_tasks <= 5000);
  CHECK(g.desired_tasks >= 5000 - 2 * 100);
  CHECK(strategies.size() == 4);  // spread, binpack, random, default
  CHECK(member_of > 200);
  CHECK(member_of < 400);
  CHECK(health > 300);
  CHECK(health < 500);
  // Every expression parses.
  for (const auto& s : d.services) {
    for (const auto& pc : s.placement_constraints) {
      if (pc.type == "memberOf") CHECK(query::ParseQuery(pc.expression).ok());
    }
  }
}

TEST_CASE("generated sources pass the semantic checks", "[bench][gen]") {
  for (const auto& spec : {Small(3), SourceSpec::Medium()}) {
    const auto g = GenerateSource(spec);
    Diagnostics diags;
    check::CheckDesiredState(g.desired, {}, diags);
    for (const auto& item : diags.items()) INFO(FormatDiagnostic(item));
    CHECK(diags.errors() == 0);
    CHECK(diags.warnings() == 0);
  }
}

TEST_CASE("source writer: half JSON, half YAML, documents faithful", "[bench][gen]") {
  TempDir tmp;
  const auto g = GenerateSource(Small());
  auto files = WriteSource(g, tmp.path);
  REQUIRE(files.ok());
  std::map<std::string, int> by_ext;
  int counted = 0;
  for (const auto& e : fs::recursive_directory_iterator(tmp.path)) {
    if (!e.is_regular_file()) continue;
    ++counted;
    by_ext[e.path().extension().string()]++;
  }
  CHECK(counted == *files);
  // 40 services: 10 per layout; 2 JSON files in layout 0, 1 in layout 3.
  CHECK(by_ext[".json"] == 30);
  CHECK(by_ext[".yaml"] == 1 + 20 + 10);  // cluster + layout 1 (2 each) + layout 2 (1 each)
  CHECK(by_ext[".yml"] == 10);

  // YAML says what the JSON would say.
  const auto& d = g.desired;
  const auto yaml_td = YAML::Load(ReadFile(tmp.path / "task-definitions/app-00001.yaml"));
  CHECK(ToJson(yaml_td) == TaskDefinitionJson(d.task_definitions[1]));
  const auto both = YAML::LoadAll(ReadFile(tmp.path / "apps/svc-00002.yaml"));
  REQUIRE(both.size() == 2);
  CHECK(ToJson(both[0]) == TaskDefinitionJson(d.task_definitions[2]));
  CHECK(ToJson(both[1]) == ServiceJson(d.services[2]));
  const auto cluster = YAML::Load(ReadFile(tmp.path / "cluster.yaml"));
  CHECK(ToJson(cluster) == ClusterJson(d.cluster));
  CHECK(cluster["hosts"][0]["attributes"]["zone"].as<std::string>() == "eu-1a");
  const auto wrapped =
      nlohmann::ordered_json::parse(ReadFile(tmp.path / "task-definitions/app-00000.json"));
  CHECK(wrapped["taskDefinition"] == TaskDefinitionJson(d.task_definitions[0]));
  const auto plain = nlohmann::ordered_json::parse(ReadFile(tmp.path / "services/svc-00004.json"));
  CHECK(plain == ServiceJson(d.services[4]));
}

TEST_CASE("yaml writer quotes strings YAML would misread", "[bench][gen]") {
  nlohmann::ordered_json doc = {
      {"a", "true"}, {"b", "0"}, {"c", ""}, {"d", "--port"}, {"e", "plain"}};
  const auto back = ToJson(YAML::Load(ToYaml(doc)));
  CHECK(back == doc);
}

TEST_CASE("snapshot generator: labels, revisions, capacity, constraints", "[bench][gen]") {
  const auto g = GenerateSource(SourceSpec::Medium());
  const auto snap = GenerateSnapshot(g);
  const auto& d = g.desired;
  REQUIRE(snap.hosts.size() == d.cluster.hosts.size());
  std::map<std::string, const model::TaskDefinition*> by_service;
  for (const auto& s : d.services) by_service[s.name] = d.FindTaskDefinition(s.task_definition);

  std::set<std::string> tasks;
  std::set<std::string> old_tasks;
  std::set<std::string> removed_tasks;
  int exited = 0;
  int unhealthy = 0;
  int containers = 0;
  for (std::size_t i = 0; i < snap.hosts.size(); ++i) {
    const auto& h = snap.hosts[i];
    const auto& host = d.cluster.hosts[i];
    CHECK(h.host == host.name);
    std::map<std::string, std::string> task_service;
    std::set<int> ports;
    for (const auto& c : h.containers) {
      ++containers;
      const auto& l = c.labels;
      REQUIRE(l.count(labels::kTask));
      CHECK(l.at(labels::kCluster) == d.cluster.name);
      CHECK(l.at(labels::kHost) == host.name);
      CHECK(c.name == labels::ContainerName(l.at(labels::kService), l.at(labels::kContainer),
                                            l.at(labels::kTask)));
      tasks.insert(l.at(labels::kTask));
      task_service[l.at(labels::kTask)] = l.at(labels::kService);
      auto it = by_service.find(l.at(labels::kService));
      if (it == by_service.end()) {
        removed_tasks.insert(l.at(labels::kTask));
      } else if (l.at(labels::kRevision) != it->second->revision) {
        old_tasks.insert(l.at(labels::kTask));
      } else {
        CHECK(l.at(labels::kFamily) == it->second->family);
      }
      exited += c.state == runtime::ContainerState::kExited;
      unhealthy += c.health == runtime::Health::kUnhealthy;
      for (const auto& p : c.ports) CHECK(ports.insert(p.host_port).second);  // no clash
    }
    // Static memberOf constraints hold on the host of every task of the service.
    for (const auto& [task, service] : task_service) {
      auto it = by_service.find(service);
      if (it == by_service.end()) continue;
      const auto* s = d.FindService(service);
      for (const auto& pc : s->placement_constraints) {
        if (pc.type != "memberOf") continue;
        auto q = query::ParseQuery(pc.expression);
        if (q->DependsOnTasks()) continue;
        CHECK(q->Matches(query::HostFacts{host.name, &host.attributes, 0, {}}));
      }
    }
    CHECK(h.info.ncpu == 32);
  }
  const auto& t = snap.truth;
  CHECK(static_cast<int>(tasks.size()) == t.tasks);
  CHECK(containers == t.containers);
  CHECK(static_cast<int>(old_tasks.size()) == t.old_revision_tasks);
  CHECK(static_cast<int>(removed_tasks.size()) == t.removed_service_tasks);
  CHECK(exited == t.exited_tasks);
  CHECK(unhealthy == t.unhealthy_tasks);
  CHECK(t.unplaced_tasks == 0);
  CHECK(t.old_revision_tasks > 50);
  CHECK(t.exited_tasks > 10);
  CHECK(t.drifted_tasks > 5);
  CHECK(t.removed_service_tasks > 0);
  CHECK(t.tasks > 4800);
  CHECK(t.tasks < 5200);
}

TEST_CASE("snapshot generator is deterministic", "[bench][gen]") {
  const auto g = GenerateSource(Small());
  CHECK(SnapshotJson(GenerateSnapshot(g)) == SnapshotJson(GenerateSnapshot(g)));
  SnapshotSpec other;
  other.seed = 9;
  CHECK(SnapshotJson(GenerateSnapshot(g)) != SnapshotJson(GenerateSnapshot(g, other)));
}

}  // namespace stowage::bench

namespace stowage::bench {

TEST_CASE("written sources load without diagnostics and decode to the same model", "[bench][gen]") {
  TempDir tmp;
  const auto g = GenerateSource(SourceSpec::Medium());
  REQUIRE(WriteSource(g, tmp.path).ok());
  auto source = NewDirectorySource(tmp.path.string());
  auto loaded = load::LoadSource(*source);
  for (const auto& item : loaded.diagnostics.items()) INFO(FormatDiagnostic(item));
  REQUIRE(loaded.diagnostics.items().empty());
  const auto& d = loaded.state;
  CHECK(loaded.clusters == 1);
  CHECK(d.cluster.hosts.size() == g.desired.cluster.hosts.size());
  REQUIRE(d.task_definitions.size() == g.desired.task_definitions.size());
  REQUIRE(d.services.size() == g.desired.services.size());
  for (std::size_t i = 0; i < d.task_definitions.size(); ++i) {
    INFO(d.task_definitions[i].family);
    CHECK(d.task_definitions[i].family == g.desired.task_definitions[i].family);
    CHECK(d.task_definitions[i].revision == g.desired.task_definitions[i].revision);
  }
  for (std::size_t i = 0; i < d.services.size(); ++i) {
    CHECK(ServiceJson(d.services[i]) == ServiceJson(g.desired.services[i]));
  }
  CHECK(ClusterJson(d.cluster) == ClusterJson(g.desired.cluster));
  Diagnostics checks;
  check::CheckDesiredState(d, {}, checks);
  CHECK(checks.items().empty());
}

}  // namespace stowage::bench

namespace stowage::bench {

TEST_CASE("generated snapshots decode to the observed state the truth describes", "[bench][gen]") {
  const auto g = GenerateSource(SourceSpec::Medium());
  const auto snap = GenerateSnapshot(g);
  const auto observed = observe::BuildObservedState(g.desired.cluster, ToSnapshot(snap),
                                                    observe::LookupIn(g.desired));
  const auto& t = snap.truth;
  REQUIRE(static_cast<int>(observed.tasks.size()) == t.tasks);
  std::map<observe::TaskStatus, int> by_status;
  for (const auto& task : observed.tasks) by_status[task.status]++;
  CHECK(by_status[observe::TaskStatus::kExited] == t.exited_tasks);
  CHECK(by_status[observe::TaskStatus::kUnhealthy] == t.unhealthy_tasks);
  CHECK(by_status[observe::TaskStatus::kIncomplete] == t.missing_container_tasks);
  for (const auto& h : observed.hosts) {
    INFO(h.name);
    CHECK(h.reachable);
    CHECK(h.used.cpu <= h.capacity.cpu);
    CHECK(h.used.memory <= h.capacity.memory);
    CHECK(h.stray_containers == 0);
  }

  const auto plan = plan::MakePlan(g.desired, observed, {});
  int drift = 0;
  for (const auto& s : plan.services) {
    for (const auto& step : s.steps) {
      for (const auto& a : step.actions) {
        drift += a.type == plan::ActionType::kStart && a.reason.rfind("drift", 0) == 0;
      }
    }
  }
  CHECK(plan.HasChanges());
  CHECK(drift > 0);
  CHECK(drift <= t.drifted_tasks);
}

}  // namespace stowage::bench
