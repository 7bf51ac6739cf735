// query_bench: how fast memberOf expressions evaluate, and that they do not allocate.
//
// Evaluates a few typical expressions against the hosts of a generated L
// cluster (1,000 hosts) and prints, per expression, evaluations per second and
// heap allocations per evaluation (counted by replacing operator new here).
//
//   build/bench/query_bench [rounds]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "gen/source_gen.h"
#include "query/query.h"

namespace {
std::size_t g_allocations = 0;
}

void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

int main(int argc, char** argv) {
  using namespace stowage;
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 2000;
  auto spec = bench::SourceSpec::Large();
  spec.services = 10;  // only the cluster matters here
  spec.tasks = 100;
  const auto source = bench::GenerateSource(spec);
  const auto& hosts = source.desired.cluster.hosts;
  // Task groups as a scheduler would hold them: a few services per host.
  std::vector<std::vector<std::string>> groups(hosts.size());
  for (std::size_t h = 0; h < hosts.size(); ++h) {
    for (std::size_t k = 0; k < 8; ++k) {
      groups[h].push_back(query::ServiceTaskGroup("svc-" + std::to_string((h * 7 + k * 13) % 500)));
    }
  }
  std::vector<query::HostFacts> facts;
  for (std::size_t h = 0; h < hosts.size(); ++h) {
    facts.push_back(
        {hosts[h].name, &hosts[h].attributes, static_cast<std::int64_t>(h % 60), groups[h]});
  }
  const char* expressions[] = {
      "attribute:zone == eu-1a",
      "attribute:zone in [eu-1a, eu-1b] and attribute:class != memory",
      "attribute:rack =~ r0.* or attribute:class == compute",
      "not (task:group == svc-42) and runningTasksCount < 50",
      "attribute:zone =~ 'eu-1(a|b)'",
  };
  std::printf("%-64s %14s %12s %10s\n", "expression", "evals/s", "allocs/eval", "matched");
  for (const char* text : expressions) {
    auto q = query::ParseQuery(text);
    if (!q.ok()) {
      std::fprintf(stderr, "%s\n", q.status().message().c_str());
      return 1;
    }
    std::size_t matched = 0;
    const std::size_t before = g_allocations;
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < rounds; ++r) {
      for (const auto& f : facts) matched += q->Matches(f);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double evals = static_cast<double>(rounds) * static_cast<double>(facts.size());
    std::printf("%-64s %14.0f %12.2f %10zu\n", text, evals / seconds,
                static_cast<double>(g_allocations - before) / evals,
                matched / static_cast<std::size_t>(rounds));
  }
  return 0;
}
