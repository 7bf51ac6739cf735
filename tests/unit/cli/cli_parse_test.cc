// Command-line parsing of the real `stowage` executable (no engine needed: the
// cluster's only host has a socket that does not exist).
#include <catch2/catch.hpp>
#include <string>

#include "support/run_command.h"
#include "support/temp_dir.h"

namespace stowage {
namespace {

using Run = CommandRun;
Run Stowage(const std::string& args) { return RunStowage(args); }

// A source with one service `web` on one host whose engine does not exist.
void WriteSource(const TempDir& dir) {
  dir.Write("cluster.yaml",
            "kind: Cluster\nname: c\nhosts:\n"
            "  - name: h1\n    endpoint: unix://" +
                dir.path() + "/no-such.sock\n    capacity: { cpu: 1024, memory: 1024 }\n");
  dir.Write("web.yaml",
            "family: web\ncontainerDefinitions:\n"
            "  - name: web\n    image: stowage/busybox:1\n    memory: 64\n"
            "---\nserviceName: web\ntaskDefinition: web\ndesiredCount: 1\n");
}

}  // namespace

TEST_CASE("plan --target takes one value; the source after it stays positional", "[cli]") {
  TempDir dir;
  WriteSource(dir);
  Run r = Stowage("plan --target nosuch " + dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("--target nosuch: no service of that name in the source or on the hosts") !=
        std::string::npos);
  // The source was read from `dir` (not "."), and `dir` was not taken for a target.
  CHECK(r.output.find("--target " + dir.path()) == std::string::npos);
  CHECK(r.output.find("host h1 is unreachable") != std::string::npos);
}

TEST_CASE("plan --target repeats, each occurrence one service", "[cli]") {
  TempDir dir;
  WriteSource(dir);
  Run r =
      Stowage("plan --target web --target other " + dir.path() + " --unreachable-grace 0 --json");
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("--target other: no service of that name") != std::string::npos);
  CHECK(r.output.find("--target web:") == std::string::npos);
  // web is planned (blocked: its only host is down past a grace of 0).
  CHECK(r.output.find("\"service\": \"web\"") != std::string::npos);
  CHECK(r.output.find("\"h1: unreachable\"") != std::string::npos);
}

TEST_CASE("plan --unreachable-grace takes a duration", "[cli]") {
  TempDir dir;
  WriteSource(dir);
  Run r = Stowage("plan --unreachable-grace soon " + dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.output.rfind("stowage plan: error: --unreachable-grace: ", 0) == 0);
}

TEST_CASE("plan: bad arguments exit 1 with the usage line", "[cli]") {
  Run r = Stowage("plan --bogus");
  CHECK(r.exit_code == 1);
  CHECK(r.output ==
        "stowage plan: error: The following argument was not expected: --bogus\n"
        "Usage: stowage plan [OPTIONS] [SOURCE]\n"
        "Run 'stowage plan --help' for more information.\n");
  r = Stowage("bogus");
  CHECK(r.exit_code == 1);
  CHECK(r.output ==
        "stowage: error: unknown command \"bogus\"\n"
        "Usage: stowage [OPTIONS] SUBCOMMAND\n"
        "Run 'stowage --help' for more information.\n");
  r = Stowage("-v paln");
  CHECK(r.exit_code == 1);
  CHECK(r.output.rfind("stowage: error: unknown command \"paln\" (did you mean plan?)\n", 0) == 0);
  r = Stowage("");
  CHECK(r.exit_code == 1);
  CHECK(r.output.rfind("stowage: error: A subcommand is required\nUsage: stowage [OPTIONS] "
                       "SUBCOMMAND\n",
                       0) == 0);
  CHECK(Stowage("--help").exit_code == 0);
  CHECK(Stowage("plan --help").exit_code == 0);
}

TEST_CASE("validate: options of the top level are accepted after the subcommand", "[cli]") {
  TempDir dir;
  WriteSource(dir);
  Run r = Stowage("validate " + dir.path() + " -v");
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("1 task definition, 1 service, 1 host: 0 errors") != std::string::npos);
  r = Stowage("validate --verbose " + dir.path());
  CHECK(r.exit_code == 0);
}

TEST_CASE("status with an invalid source still looks at the hosts and says the source is invalid",
          "[cli]") {
  TempDir dir;
  WriteSource(dir);
  dir.Write("broken.yaml", "serviceName: broken\ntaskDefinition: nosuch\ndesiredCount: 1\n");
  Run r = Stowage("status " + dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("broken.yaml:2:17: error: taskDefinition: ") != std::string::npos);
  CHECK(r.output.find("Cluster c\nThe source is invalid (1 error): showing what runs; desired "
                      "counts are unknown.\n") != std::string::npos);
  CHECK(r.output.find("h1: unreachable: ") != std::string::npos);
}

TEST_CASE("history with an invalid source still reads the cluster's hosts", "[cli]") {
  TempDir dir;
  WriteSource(dir);
  dir.Write("broken.yaml", "serviceName: broken\ntaskDefinition: nosuch\ndesiredCount: 1\n");
  Run r = Stowage("history " + dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("broken.yaml:2:17: error: taskDefinition: ") != std::string::npos);
  CHECK(r.output.find("nothing was done") == std::string::npos);
  CHECK(r.output.find("error: history: no host of cluster c answers") != std::string::npos);

  dir.Write("cluster.yaml", "kind: Cluster\nname: c\nhosts: []\nbogus: 1\n");
  r = Stowage("history " + dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("error: the source has errors and no usable cluster document; nothing to "
                      "show\n") != std::string::npos);
}

}  // namespace stowage
