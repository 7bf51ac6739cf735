#include "pipeline.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "check/validate_source.h"
#include "plan/observed.h"
#include "plan/plan_json.h"
#include "plan/planner.h"
#include "render/plan_text.h"

namespace stowage::bench {
namespace {

using Clock = std::chrono::steady_clock;

template <typename Enum>
Enum ByName(const std::string& name, const char* (*name_of)(Enum), int count) {
  for (int i = 0; i < count; ++i) {
    if (name == name_of(static_cast<Enum>(i))) return static_cast<Enum>(i);
  }
  return static_cast<Enum>(0);
}

runtime::ContainerSummary DecodeContainer(const nlohmann::json& j) {
  runtime::ContainerSummary c;
  c.id = j.at("id").get<std::string>();
  c.name = j.at("name").get<std::string>();
  c.image = j.at("image").get<std::string>();
  c.state = ByName(j.at("state").get<std::string>(), runtime::ContainerStateName, 7);
  c.health = ByName(j.at("health").get<std::string>(), runtime::HealthName, 4);
  if (j.contains("exitCode")) c.exit_code = j["exitCode"].get<int>();
  c.labels = j.at("labels").get<runtime::Labels>();
  for (const auto& p : j.at("ports")) {
    c.ports.push_back({p.at("containerPort").get<int>(), p.at("hostPort").get<int>(),
                       p.at("protocol").get<std::string>()});
  }
  c.created = j.at("created").get<std::int64_t>();
  return c;
}

plan::Snapshot DecodeSnapshot(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text);
  plan::Snapshot s;
  s.cluster = j.at("cluster").get<std::string>();
  for (const auto& h : j.at("hosts")) {
    plan::HostSnapshot hs;
    hs.host = h.at("host").get<std::string>();
    const auto& info = h.at("info");
    hs.info.name = info.at("name").get<std::string>();
    hs.info.ncpu = info.at("ncpu").get<int>();
    hs.info.memory_bytes = info.at("memoryBytes").get<std::int64_t>();
    hs.info.engine_version = info.at("engineVersion").get<std::string>();
    for (const auto& c : h.at("containers")) hs.containers.push_back(DecodeContainer(c));
    s.hosts.push_back(std::move(hs));
  }
  return s;
}

// Wall and CPU time per phase: on a shared machine the CPU time says what the
// work costs, the wall time what it took.
class Phases {
 public:
  Phases() { std::printf("    %-34s %9s %9s\n", "phase", "wall", "cpu"); }
  void Done(const char* name) {
    auto now = Clock::now();
    double cpu = CpuSeconds();
    Print(name, now - last_, cpu - last_cpu_);
    last_ = now;
    last_cpu_ = cpu;
  }
  void Total() { Print("total", Clock::now() - first_, CpuSeconds() - first_cpu_); }

 private:
  static void Print(const char* name, Clock::duration wall, double cpu) {
    std::printf("    %-34s %7.3f s %7.3f s\n", name, std::chrono::duration<double>(wall).count(),
                cpu);
  }
  Clock::time_point first_ = Clock::now();
  Clock::time_point last_ = first_;
  double first_cpu_ = CpuSeconds();
  double last_cpu_ = first_cpu_;
};

}  // namespace

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int RunPipeline(const std::string& dir) {
  Phases phases;
  auto source = NewDirectorySource(dir + "/source");
  check::ValidatedSource validated = check::ValidateSource(*source);
  if (!validated.ok()) {
    for (const auto& d : validated.diagnostics.items()) {
      std::fprintf(stderr, "%s\n", FormatDiagnostic(d).c_str());
    }
    return 1;
  }
  const model::DesiredState* desired = &*validated.state;
  phases.Done("load + validate");
  std::ifstream in(dir + "/snapshot.json", std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  plan::Snapshot snapshot;
  try {
    snapshot = DecodeSnapshot(buf.str());
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "snapshot.json: %s\n", e.what());
    return 1;
  }
  phases.Done("snapshot read + JSON decode");
  plan::ObservedState observed =
      plan::BuildObservedState(desired->cluster, snapshot, plan::LookupIn(*desired));
  phases.Done("observed state from labels");
  plan::Plan p = plan::MakePlan(*desired, observed, {.prune = true, .allow_mass_delete = true});
  phases.Done("plan");
  auto json = plan::PlanToJson(p);
  std::string json_text = json.dump(2);
  std::string text = render::RenderPlanText(json, {});
  phases.Done("render JSON + text");
  phases.Total();
  std::printf("    plan: %zu bytes of JSON, %zu of text; %s", json_text.size(), text.size(),
              text.substr(text.rfind("Plan:")).c_str());
  return 0;
}

}  // namespace stowage::bench
