// bench_plan: how fast stowage plans, on synthetic sources of size M and L.
//
//   bench_plan [--size M|L|ML] [--work DIR] [--repeat N]
//
// For each size it generates a source and a matching engine snapshot
// (bench/gen, seeded), writes them to DIR/<size>/ (source files and
// snapshot.json), then measures:
//   placement   Place() of every replica task of the source on an empty
//               cluster view of its hosts: tasks/s (target >= 200,000 at 1,000 hosts);
//   plan        MakePlan alone on the decoded observed state: wall time (best of
//               N) and the growth of peak RSS it causes;
//   pipeline    in a fresh child process: load + validate the files, read and
//               decode snapshot.json, build the observed state, plan, render
//               JSON and text: wall time per phase and the child's peak RSS
//               (target for L: <= 2 s and <= 1 GiB on 2 cores).
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
#include "pipeline.h"
#include "plan/observed.h"
#include "plan/planner.h"
#include "plan/scheduler.h"

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

void BenchPlacement(const GeneratedSource& source) {
  // Every host answers, with room to spare: this measures placement, not blocking.
  plan::Snapshot snap;
  snap.cluster = source.desired.cluster.name;
  for (const auto& h : source.desired.cluster.hosts) {
    plan::HostSnapshot hs;
    hs.host = h.name;
    hs.info.ncpu = 64;
    hs.info.memory_bytes = std::int64_t{256} << 30;
    snap.hosts.push_back(hs);
  }
  plan::ObservedState empty = plan::BuildObservedState(source.desired.cluster, snap);
  plan::ClusterView view(source.desired.cluster, empty);
  int placed = 0, unplaced = 0;
  auto start = Clock::now();
  for (const auto& s : source.desired.services) {
    if (s.scheduling_strategy != model::SchedulingStrategy::kReplica) continue;
    const model::TaskDefinition* td = source.desired.FindTaskDefinition(s.task_definition);
    plan::PlacementRequest req;
    req.service = s.name;
    req.demand = plan::DemandOf(*td);
    req.constraints = s.placement_constraints;
    req.strategies = s.placement_strategy;
    req.seed = plan::SeedFor(source.desired.source_revision, s.name);
    plan::Placement p = plan::Place(view, req, s.desired_count);
    placed += static_cast<int>(p.hosts.size());
    unplaced += p.unplaced;
  }
  double secs = Seconds(start);
  std::printf("  placement: %d tasks on %zu hosts in %.3f s = %.0f tasks/s (%d unplaced)\n", placed,
              source.desired.cluster.hosts.size(), secs, placed / secs, unplaced);
}

void BenchPlan(const GeneratedSource& source, const GeneratedSnapshot& snapshot, int repeat) {
  plan::ObservedState observed = plan::BuildObservedState(
      source.desired.cluster, ToSnapshot(snapshot), plan::LookupIn(source.desired));
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

void BenchPipeline(const char* self, const std::filesystem::path& dir) {
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
  std::printf("  pipeline total (child process): %.3f s wall, peak RSS %.1f MiB, exit %d\n", secs,
              static_cast<double>(u.ru_maxrss) / 1024.0, WEXITSTATUS(status));
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
  std::ofstream(dir / "snapshot.json") << SnapshotJson(snapshot).dump() << "\n";
  std::printf(
      "%s: %zu services, %d desired tasks, %zu hosts, %d observed tasks in %d "
      "containers (generated in %.1f s)\n",
      size.c_str(), source.desired.services.size(), source.desired_tasks,
      source.desired.cluster.hosts.size(), snapshot.truth.tasks, snapshot.truth.containers,
      Seconds(gen_start));
  BenchPlacement(source);
  BenchPlan(source, snapshot, repeat);
  BenchPipeline(self, dir);
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
