#include "pipeline.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "check/validate_source.h"
#include "observe/observed.h"
#include "observe/snapshot.h"
#include "plan/plan_json.h"
#include "plan/planner.h"
#include "recorded_engines.h"
#include "render/plan_text.h"

namespace stowage::bench {
namespace {

using Clock = std::chrono::steady_clock;

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
  // What the engines answer, decoded as DockerRuntime decodes it, hosts asked
  // concurrently: the product's TakeSnapshot minus the HTTP.
  auto engines = RecordedEngines(dir + "/engines");
  observe::Snapshot snapshot = observe::TakeSnapshot(desired->cluster, *engines);
  phases.Done("snapshot: engine answers decoded");
  observe::ObservedState observed = observe::BuildObservedState(
      desired->cluster, std::move(snapshot), observe::LookupIn(*desired));
  phases.Done("observed state from labels");
  plan::Plan p = plan::MakePlan(*desired, observed, {.prune = true, .allow_mass_delete = true});
  phases.Done("plan");
  auto json = plan::PlanToJson(p);
  std::string json_text = json.dump(2);
  std::string text = render::RenderPlanText(json, {});
  phases.Done("render JSON + text");
  phases.Total();
  // For comparing plans across builds: the same inputs must give the same bytes.
  std::ofstream(dir + "/plan.json", std::ios::binary) << json_text;
  std::printf("    plan: %zu bytes of JSON, %zu of text; %s", json_text.size(), text.size(),
              text.substr(text.rfind("Plan:")).c_str());
  return 0;
}

}  // namespace stowage::bench
