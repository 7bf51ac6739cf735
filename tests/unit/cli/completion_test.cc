// `stowage completion bash|zsh|fish`, run through the real executable and,
// for bash, through a real bash that sources the script and completes.
#include <catch2/catch.hpp>
#include <string>

#include "support/run_command.h"
#include "support/temp_dir.h"

namespace stowage {
namespace {

// What bash's completion offers for the words typed so far (the last is the
// word being completed), one per line.
std::string BashCompletes(const TempDir& dir, const std::string& words) {
  dir.Write("complete.sh",
            "source " + dir.path() +
                "/stowage.bash\n"
                "COMP_WORDS=(" +
                words +
                ")\n"
                "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                "[ \"${COMP_WORDS[COMP_CWORD]+set}\" ] || COMP_WORDS[COMP_CWORD]=''\n"
                "_stowage\n"
                "printf '%s\\n' \"${COMPREPLY[@]}\" | sort\n");
  return RunCommand("cd " + dir.path() + " && bash complete.sh").output;
}

}  // namespace

TEST_CASE("completion for bash offers commands, a command's options, files after values",
          "[cli][completion]") {
  TempDir dir;
  auto script = RunCommand(std::string(STOWAGE_BINARY) + " completion bash > " + dir.path() +
                           "/stowage.bash");
  REQUIRE(script.exit_code == 0);
  CHECK(RunCommand("bash -n " + dir.path() + "/stowage.bash").exit_code == 0);
  CHECK(BashCompletes(dir, "stowage pl") == "plan\n");
  CHECK(BashCompletes(dir, "stowage co") == "completion\n");
  const std::string plan_options = BashCompletes(dir, "stowage plan --j");
  CHECK(plan_options == "--json\n");
  // -v before the subcommand is skipped when finding the subcommand.
  CHECK(BashCompletes(dir, "stowage -v watch --li") == "--listen\n");
  dir.Write("cluster.yaml", "kind: Cluster\n");
  CHECK(BashCompletes(dir, "stowage plan --out clus") == "cluster.yaml\n");
  CHECK(BashCompletes(dir, "stowage validate clus") == "cluster.yaml\n");
}

TEST_CASE("completion for zsh and fish: every command, and valid syntax", "[cli][completion]") {
  for (const char* shell : {"zsh", "fish"}) {
    auto script = RunStowage(std::string("completion ") + shell);
    REQUIRE(script.exit_code == 0);
    for (const char* command : {"validate", "plan", "apply", "watch", "status", "completion"}) {
      INFO(shell << " " << command);
      CHECK(script.output.find(std::string(command)) != std::string::npos);
    }
    TempDir dir;
    dir.Write(std::string("stowage.") + shell, script.output);
    INFO(script.output);  // zsh and fish come with scripts/deps.sh test
    CHECK(RunCommand(std::string(shell) + " -n " + dir.path() + "/stowage." + shell).exit_code ==
          0);
  }
  CHECK(RunStowage("completion zsh").output.starts_with("#compdef stowage\n"));
  CHECK(RunStowage("completion fish")
            .output.find("complete -c stowage -n '__fish_seen_subcommand_from plan' -l json") !=
        std::string::npos);
}

TEST_CASE("completion for an unknown shell is an error", "[cli][completion]") {
  auto run = RunStowage("completion tcsh");
  CHECK(run.exit_code == 1);
  CHECK(run.output == "stowage: completion: expected bash, zsh or fish, got \"tcsh\"\n");
}

}  // namespace stowage
