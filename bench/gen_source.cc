// gen_source: writes a synthetic stowage source (and optionally a matching
// snapshot) to a directory. See bench/gen/source_gen.h for what it contains.
//
//   gen_source --size M out/m            1,000 services, 5,000 tasks, 100 hosts
//   gen_source --size L --seed 7 out/l   10,000 services, 50,000 tasks, 1,000 hosts
//   gen_source --services 50 --tasks 200 --hosts 10 --snapshot snap.json out/x
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "gen/snapshot_gen.h"
#include "gen/source_gen.h"

namespace {
double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

int main(int argc, char** argv) {
  using namespace stowage::bench;
  CLI::App app{"Write a synthetic stowage source for benchmarks and demos."};
  std::string size = "M";
  std::string dir;
  std::string snapshot_file;
  int services = 0;
  int tasks = 0;
  int hosts = 0;
  std::uint64_t seed = 1;
  app.add_option("--size", size, "S, M (1,000 services, 5,000 tasks, 100 hosts) or L (10x M)")
      ->capture_default_str();
  app.add_option("--services", services, "override the number of services");
  app.add_option("--tasks", tasks, "override the number of desired tasks");
  app.add_option("--hosts", hosts, "override the number of hosts");
  app.add_option("--seed", seed, "random seed (same seed, same files)")->capture_default_str();
  app.add_option("--snapshot", snapshot_file,
                 "also write a matching engine snapshot (JSON) to this file");
  app.add_option("DIR", dir, "directory to write the source into")->required();
  CLI11_PARSE(app, argc, argv);

  auto spec = SourceSpec::Named(size);
  if (!spec.ok()) {
    std::fprintf(stderr, "gen_source: %s\n", spec.status().message().c_str());
    return 1;
  }
  if (services > 0) spec->services = services;
  if (tasks > 0) spec->tasks = tasks;
  if (hosts > 0) spec->hosts = hosts;
  spec->seed = seed;
  auto start = std::chrono::steady_clock::now();
  const auto source = GenerateSource(*spec);
  const double generate_s = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  auto files = WriteSource(source, dir);
  const double write_s = SecondsSince(start);
  if (!files.ok()) {
    std::fprintf(stderr, "gen_source: %s\n", files.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "%s: %d files, %d services (%d DAEMON), %d desired tasks, %d hosts "
      "(generated in %.2f s, written in %.2f s)\n",
      dir.c_str(), *files, spec->services, source.daemon_services, source.desired_tasks,
      spec->hosts, generate_s, write_s);
  if (!snapshot_file.empty()) {
    start = std::chrono::steady_clock::now();
    const auto snap = GenerateSnapshot(source);
    const double snapshot_s = SecondsSince(start);
    std::ofstream out(snapshot_file);
    out << SnapshotJson(snap).dump(1) << "\n";
    if (!out) {
      std::fprintf(stderr, "gen_source: cannot write %s\n", snapshot_file.c_str());
      return 1;
    }
    std::printf("%s: %d tasks, %d containers (generated in %.2f s)\n", snapshot_file.c_str(),
                snap.truth.tasks, snap.truth.containers, snapshot_s);
  }
  return 0;
}
