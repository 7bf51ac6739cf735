// bench_plan: how fast stowage plans, on synthetic sources of size M and L.
//
//   bench_plan [--size M|L|ML] [--work DIR] [--repeat N]
//
// For each size it generates a source and a matching engine snapshot
// (bench/gen, seeded), writes them to DIR/<size>/ (source files, and in
// engines/ what each host's Docker engine would answer to GET /info and GET
// /containers/json), then measures:
//   placement   Place() of every replica task of the source on an empty
//               cluster view of its hosts (requests built beforehand): tasks
//               per second of wall and of CPU time (target >= 200,000 at 1,000 hosts);
//   plan        MakePlan alone on the decoded observed state: wall time (best of
//               N) and the growth of peak RSS it causes;
//   pipeline    in a fresh child process: load + validate the files, take the
//               snapshot (TakeSnapshot decoding the recorded engine answers),
//               build the observed state, plan, render
//               JSON and text: wall and CPU time per phase, the child's wall time
//               from exec to exit and its peak RSS (target for L: <= 2 s and
//               <= 1 GiB on 2 cores).
// For L (1,000 hosts) it ends with the three targets, each PASS or MISS, and the
// load average: the machine may be shared, and CPU times say what the work costs.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gen/snapshot_gen.h"
#include "gen/source_gen.h"
#include "observe/observed.h"
#include "observe/snapshot.h"
#include "pipeline.h"
#include "plan/planner.h"
#include "plan/scheduler.h"
#include "recorded_engines.h"

namespace stowage::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

long PeakRssKiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// The targets of issue 4 for size L (1,000 hosts) on a 2-core machine.
constexpr double kPipelineTargetSeconds = 2.0;
constexpr double kPeakRssTargetMiB = 1024.0;
constexpr double kPlacementTargetRate = 200000.0;

struct Figures {
  double placement_rate = 0;  // tasks placed per second of wall time in Place()
  double pipeline_seconds = 0;
  double pipeline_rss_mib = 0;
  bool pipeline_ok = false;
};

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

double BenchPlacement(const GeneratedSource& source) {
  // Every host answers, with room to spare: this measures placement, not blocking.
  observe::Snapshot snap;
  snap.cluster = source.desired.cluster.name;
  for (const auto& h : source.desired.cluster.hosts) {
    observe::HostSnapshot hs;
    hs.host = h.name;
    hs.info.ncpu = 64;
    hs.info.memory_bytes = std::int64_t{256} << 30;
    snap.hosts.push_back(hs);
  }
  observe::ObservedState empty = observe::BuildObservedState(source.desired.cluster, snap);
  plan::ClusterView view(source.desired.cluster, empty);
  // The requests as the planner makes them (service then task definition
  // constraints), built before the clock starts: this times Place() alone.
  std::vector<std::pair<plan::PlacementRequest, int>> requests;
  for (const auto& s : source.desired.services) {
    if (s.scheduling_strategy != model::SchedulingStrategy::kReplica) continue;
    const model::TaskDefinition* td = source.desired.FindTaskDefinition(s.task_definition);
    plan::PlacementRequest req;
    req.service = s.name;
    req.demand = plan::DemandOf(*td);
    req.constraints = s.placement_constraints;
    req.constraints.insert(req.constraints.end(), td->placement_constraints.begin(),
                           td->placement_constraints.end());
    req.strategies = s.placement_strategy;
    req.seed = plan::SeedFor(source.desired.source_revision, s.name);
    requests.emplace_back(std::move(req), s.desired_count);
  }
  int placed = 0, unplaced = 0;
  auto start = Clock::now();
  double cpu_start = CpuSeconds();
  for (const auto& [req, count] : requests) {
    plan::Placement p = plan::Place(view, req, count);
    placed += static_cast<int>(p.hosts.size());
    unplaced += p.unplaced;
  }
  double secs = Seconds(start);
  double cpu = CpuSeconds() - cpu_start;
  std::printf(
      "  placement: %d tasks of %zu services on %zu hosts in %.3f s wall (%.3f s cpu) = %.0f "
      "tasks/s (%.0f per cpu second), %d unplaced\n",
      placed, requests.size(), source.desired.cluster.hosts.size(), secs, cpu, placed / secs,
      placed / cpu, unplaced);
  return placed / secs;
}

void BenchPlan(const GeneratedSource& source, const GeneratedSnapshot& snapshot, int repeat) {
  observe::ObservedState observed = observe::BuildObservedState(
      source.desired.cluster, ToSnapshot(snapshot), observe::LookupIn(source.desired));
  long before = PeakRssKiB();
  double best = 1e9;
  plan::Plan p;
  for (int i = 0; i < repeat; ++i) {
    auto start = Clock::now();
    p = plan::MakePlan(source.desired, observed, {.prune = true, .allow_mass_delete = true});
    best = std::min(best, Seconds(start));
  }
  std::printf(
      "  plan alone: %.3f s (best of %d), peak RSS +%.1f MiB; %d to start, %d to stop, "
      "%d to replace, %d services blocked\n",
      best, repeat, static_cast<double>(PeakRssKiB() - before) / 1024.0, p.summary.to_start,
      p.summary.to_stop, p.summary.to_replace, p.summary.blocked_services);
}

void BenchPipeline(const char* self, const std::filesystem::path& dir, Figures& figures) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(self, self, "--pipeline", dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage u{};
  auto start = Clock::now();
  wait4(pid, &status, 0, &u);
  double secs = Seconds(start);
  figures.pipeline_seconds = secs;
  figures.pipeline_rss_mib = static_cast<double>(u.ru_maxrss) / 1024.0;
  figures.pipeline_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  std::printf(
      "  pipeline total (child process, exec to exit): %.3f s wall, %.3f s cpu, peak RSS %.1f "
      "MiB, exit %d\n",
      secs,
      static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
          static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6,
      figures.pipeline_rss_mib, WEXITSTATUS(status));
}

const char* Verdict(bool pass) { return pass ? "PASS" : "MISS"; }

void PrintTargets(const Figures& f) {
  std::printf("  targets (issue 4, size L on 2 cores), load average %s:\n", LoadAverage().c_str());
  std::printf("    %-44s %10.3f s        <= %.0f s        %s\n",
              "load+validate+decode+plan+render, wall", f.pipeline_seconds, kPipelineTargetSeconds,
              Verdict(f.pipeline_ok && f.pipeline_seconds <= kPipelineTargetSeconds));
  std::printf("    %-44s %10.1f MiB      <= %.0f MiB   %s\n", "pipeline peak RSS",
              f.pipeline_rss_mib, kPeakRssTargetMiB,
              Verdict(f.pipeline_ok && f.pipeline_rss_mib <= kPeakRssTargetMiB));
  std::printf("    %-44s %10.0f tasks/s  >= %.0f   %s\n", "placement at 1,000 hosts",
              f.placement_rate, kPlacementTargetRate,
              Verdict(f.placement_rate >= kPlacementTargetRate));
}

int RunSize(const char* self, const std::string& size, const std::filesystem::path& work,
            int repeat) {
  auto spec = SourceSpec::Named(size);
  if (!spec.ok()) {
    std::fprintf(stderr, "bench_plan: %s\n", spec.status().message().c_str());
    return 1;
  }
  auto gen_start = Clock::now();
  GeneratedSource source = GenerateSource(*spec);
  GeneratedSnapshot snapshot = GenerateSnapshot(source);
  std::filesystem::path dir = work / size;
  std::filesystem::remove_all(dir);
  auto files = WriteSource(source, dir / "source");
  if (!files.ok()) {
    std::fprintf(stderr, "bench_plan: %s\n", files.status().ToString().c_str());
    return 1;
  }
  if (Status st = WriteEngineAnswers(snapshot, dir / "engines"); !st.ok()) {
    std::fprintf(stderr, "bench_plan: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf(
      "%s: %zu services, %d desired tasks, %zu hosts, %d observed tasks in %d "
      "containers (generated in %.1f s); load average %s\n",
      size.c_str(), source.desired.services.size(), source.desired_tasks,
      source.desired.cluster.hosts.size(), snapshot.truth.tasks, snapshot.truth.containers,
      Seconds(gen_start), LoadAverage().c_str());
  std::fflush(stdout);
  Figures figures;
  figures.placement_rate = BenchPlacement(source);
  BenchPlan(source, snapshot, repeat);
  std::fflush(stdout);
  BenchPipeline(self, dir, figures);
  if (source.desired.cluster.hosts.size() >= 1000) PrintTargets(figures);
  std::fflush(stdout);
  return 0;
}

}  // namespace
}  // namespace stowage::bench

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--pipeline") {
    return stowage::bench::RunPipeline(argv[2]);
  }
  CLI::App app{"Benchmark stowage's planner on synthetic M and L sources"};
  std::string sizes = "ML";
  std::string work = "/tmp/stowage-bench-plan";
  int repeat = 3;
  app.add_option("--size", sizes, "Sizes to run: M, L or ML")->capture_default_str();
  app.add_option("--work", work, "Where the generated files go")->capture_default_str();
  app.add_option("--repeat", repeat, "Runs of the plan-alone measure")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  for (char c : sizes) {
    if (int rc = stowage::bench::RunSize(argv[0], std::string(1, c), work, repeat); rc != 0) {
      return rc;
    }
  }
  return 0;
}
