// bench/load: how fast a large source loads and validates.
//
// Writes a synthetic source with bench/gen (default size L: 10,000 task
// definitions + 10,000 services + a cluster of 1,000 hosts, half JSON, half
// YAML) in a child process, then, in this process, runs LoadSource (list,
// read, parse, schema check, decode) and the semantic checks on it, and
// prints the time of each phase, files/s and the peak RSS of this process.
//
//   build/bench/load                 # size L in a temporary directory
//   build/bench/load --size M        # 1,000 services
//   build/bench/load --dir /tmp/src  # an existing source (nothing generated)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "check/checks.h"
#include "gen/source_gen.h"
#include "load/load_source.h"
#include "source/source.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Generates in a child so the generator's memory does not count in our peak RSS.
bool Generate(const std::string& size, const std::string& dir) {
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    auto spec = stowage::bench::SourceSpec::Named(size);
    if (!spec.ok()) _exit(2);
    auto files = stowage::bench::WriteSource(stowage::bench::GenerateSource(*spec), dir);
    _exit(files.ok() ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Benchmark: load + validate a large source."};
  std::string size = "L";
  std::string dir;
  int rounds = 1;
  app.add_option("--size", size, "S, M or L (bench/gen sizes)")->capture_default_str();
  app.add_option("--dir", dir, "load this existing source instead of generating one");
  bool keep = false;
  app.add_flag("--keep", keep, "keep the generated source (its path is printed)");
  app.add_option("--rounds", rounds, "load this many times (best time is reported)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::string temp;
  if (dir.empty()) {
    char tmpl[] = "/tmp/stowage-bench-load-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return 1;
    temp = dir = tmpl;
    const auto t0 = Clock::now();
    if (!Generate(size, dir)) {
      std::fprintf(stderr, "load: generating the source failed\n");
      return 1;
    }
    std::printf("generated size %s in %s in %.2f s\n", size.c_str(), dir.c_str(),
                Seconds(t0, Clock::now()));
  }

  double best_load = 1e9, best_check = 1e9, best_cpu = 1e9;
  stowage::load::LoadedSource loaded;
  for (int round = 0; round < rounds; ++round) {
    auto source = stowage::NewDirectorySource(dir);
    const double cpu0 = CpuSeconds();
    const auto t0 = Clock::now();
    loaded = stowage::load::LoadSource(*source);
    const auto t1 = Clock::now();
    stowage::check::CheckContext ctx;
    stowage::Diagnostics diags;
    stowage::check::CheckDesiredState(loaded.state, ctx, diags);
    const auto t2 = Clock::now();
    best_load = std::min(best_load, Seconds(t0, t1));
    best_check = std::min(best_check, Seconds(t1, t2));
    best_cpu = std::min(best_cpu, CpuSeconds() - cpu0);
    if (round == 0 && (loaded.diagnostics.HasErrors() || diags.HasErrors())) {
      std::fprintf(stderr, "load: the source has %d load errors, %d check errors\n",
                   loaded.diagnostics.errors(), diags.errors());
    }
  }
  const int files = [&] {
    auto list = stowage::NewDirectorySource(dir)->List();
    return list.ok() ? static_cast<int>(list->size()) : 0;
  }();
  const double total = best_load + best_check;
  std::printf("%d files: %d task definitions, %d services, %d hosts; %d warnings\n", files,
              loaded.task_definitions, loaded.services, loaded.hosts,
              loaded.diagnostics.warnings());
  std::printf("load %.3f s + validate %.3f s = %.3f s: %.0f files/s, peak RSS %.1f MiB\n",
              best_load, best_check, total, files / total,
              static_cast<double>(PeakRssKb()) / 1024.0);
  std::printf("cpu time (all threads) %.3f s\n", best_cpu);
  if (!temp.empty() && !keep) std::filesystem::remove_all(temp);
  return 0;
}
