// runtime_bench: create+start, then stop+remove, of N containers spread over the
// given engines, through DockerRuntime (8 threads) and through the docker CLI
// (xargs -P8 docker run -d ...), on the same engines in the same run. Prints
// both rates and their ratio. Run it through bench/runtime/run.sh, which starts
// and stops its own engines with the test harness.
//
//   runtime_bench ENGINES IMAGE [N]   ENGINES: comma-separated unix:// URLs
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/docker/docker_runtime.h"

namespace {

using stowage::runtime::ContainerSpec;
using stowage::runtime::Runtime;
using Clock = std::chrono::steady_clock;

constexpr int kParallel = 8;
// Exits promptly on SIGTERM, like a well-behaved service.
const char* kCommand = "trap 'exit 0' TERM; sleep 600 & wait";

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Runs fn(i) for i in [0, n) on kParallel threads; returns seconds taken and failures.
template <typename Fn>
std::pair<double, int> Parallel(int n, Fn fn) {
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kParallel; ++t) {
    threads.emplace_back([&] {
      for (int i; (i = next++) < n;) {
        if (!fn(i)) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  return {std::chrono::duration<double>(Clock::now() - t0).count(), failures.load()};
}

double Shell(const std::string& cmd) {
  auto t0 = Clock::now();
  int rc = std::system(cmd.c_str());
  if (rc != 0) std::fprintf(stderr, "runtime_bench: command failed (%d): %s\n", rc, cmd.c_str());
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: runtime_bench ENGINES IMAGE [N]\n");
    return 2;
  }
  auto engines = Split(argv[1]);
  std::string image = argv[2];
  int n = argc > 3 ? std::atoi(argv[3]) : 200;
  std::string tag = "bench" + std::to_string(getpid());

  std::vector<std::shared_ptr<Runtime>> runtimes;
  stowage::runtime::docker::DockerRuntimeFactory factory;
  for (size_t i = 0; i < engines.size(); ++i) {
    stowage::model::Host h;
    h.name = "e" + std::to_string(i + 1);
    h.endpoint = engines[i];
    auto rt = factory.Connect(h);
    if (!rt.ok()) {
      std::fprintf(stderr, "runtime_bench: %s\n", rt.status().ToString().c_str());
      return 1;
    }
    runtimes.push_back(*rt);
  }
  auto engine_of = [&](int i) { return static_cast<size_t>(i) % engines.size(); };

  // --- DockerRuntime ---
  std::vector<std::string> ids(static_cast<size_t>(n));
  auto [ours_up, ours_up_fail] = Parallel(n, [&](int i) {
    ContainerSpec s;
    s.name = tag + "-rt-" + std::to_string(i);
    s.image = image;
    s.cmd = {"sh", "-c", kCommand};
    s.network_mode = "none";
    s.labels = {{"io.stowage.cluster", tag}};
    auto& rt = runtimes[engine_of(i)];
    auto id = rt->Create(s);
    if (!id.ok()) return false;
    ids[static_cast<size_t>(i)] = *id;
    return rt->Start(*id).ok();
  });
  auto [ours_down, ours_down_fail] = Parallel(n, [&](int i) {
    auto& rt = runtimes[engine_of(i)];
    const auto& id = ids[static_cast<size_t>(i)];
    return rt->Stop(id, std::chrono::seconds(10)).ok() && rt->Remove(id, false).ok();
  });

  // --- docker CLI, same engines, same containers ---
  std::string list = "/tmp/" + tag + ".list";
  {
    std::ofstream out(list);
    for (int i = 0; i < n; ++i) {
      out << engines[engine_of(i)] << " " << tag << "-cli-" << i << "\n";
    }
  }
  std::string run = "xargs -P" + std::to_string(kParallel) +
                    " -n2 sh -c 'docker -H \"$0\" run -d --network none"
                    " --name \"$1\" -l io.stowage.cluster=" +
                    tag + " " + image +
                    " sh -c \"trap \\\"exit 0\\\" TERM; sleep 600 & wait\" >/dev/null' < " + list;
  std::string down = "xargs -P" + std::to_string(kParallel) +
                     " -n2 sh -c 'docker -H \"$0\" stop -t 10 \"$1\" >/dev/null &&"
                     " docker -H \"$0\" rm \"$1\" >/dev/null' < " +
                     list;
  double cli_up = Shell(run);
  double cli_down = Shell(down);
  std::remove(list.c_str());

  std::printf("runtime_bench: %d containers over %zu engines, %d in parallel\n", n, engines.size(),
              kParallel);
  std::printf(
      "  create+start  DockerRuntime %7.1f/s (%.2fs, %d failed)   docker CLI %7.1f/s (%.2fs)"
      "   ratio %.2fx\n",
      n / ours_up, ours_up, ours_up_fail, n / cli_up, cli_up, cli_up / ours_up);
  std::printf(
      "  stop+remove   DockerRuntime %7.1f/s (%.2fs, %d failed)   docker CLI %7.1f/s (%.2fs)"
      "   ratio %.2fx\n",
      n / ours_down, ours_down, ours_down_fail, n / cli_down, cli_down, cli_down / ours_down);
  std::printf(
      "  overall       DockerRuntime %.2fs   docker CLI %.2fs   ratio %.2fx (CLI time / ours)\n",
      ours_up + ours_down, cli_up + cli_down, (cli_up + cli_down) / (ours_up + ours_down));
  return ours_up_fail + ours_down_fail == 0 ? 0 : 1;
}
