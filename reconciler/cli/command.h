// The subcommands of the `stowage` executable and what they share.
//
// Each subcommand lives in its own cmd_*.cc file and registers itself on the
// CLI11 app through one Add*Command function listed here; main.cc calls them
// in the order `stowage --help` shows. A command's callback stores its exit
// status in CommandContext (0 ok, 1 error, 2 changes for plan
// --detailed-exitcode, 3 rolled back, 4 not all placed; see stowage(1)).
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "secrets/secret_store.h"

namespace stowage::cli {

struct CommandContext {
  int exit_code = 0;
};

// A repeatable option (`--target a --target b`) that takes exactly one value per
// occurrence, so a positional after it (`--target web SOURCE`) stays positional.
// CLI11's default for a vector option swallows every following argument
// (allow_extra_args); expected(1) would refuse the second occurrence.
inline CLI::Option* AddRepeatableOption(CLI::App& cmd, const std::string& name,
                                        std::vector<std::string>& values,
                                        const std::string& description) {
  return cmd.add_option(name, values, description)->allow_extra_args(false);
}

// `--unreachable-grace DURATION` (plan, apply, watch): how long a host may not
// answer before its tasks are replaced elsewhere; overrides the cluster file's
// unreachableGraceSeconds. A bad duration is a parse error.
CLI::Option* AddUnreachableGraceOption(CLI::App& cmd, std::optional<std::chrono::seconds>& grace);

// `--pull always|missing|never` (apply, run-task, watch): when engines pull a
// task's image (ECS_IMAGE_PULL_BEHAVIOR; default missing).
CLI::Option* AddPullOption(CLI::App& cmd, std::string& pull);

// The flags `apply` and `rollback` share.
struct ApplyFlags {
  bool auto_approve = false;
  bool json = false;
  bool wait = true;
  bool wait_stopped = false;
  int parallelism = 8;
  int settle = 10;
  int lock_timeout = 0;
  bool prune = false;
  bool allow_mass_delete = false;
  std::optional<std::chrono::seconds> unreachable_grace;
  std::vector<std::string> notify;
  std::string pull = "missing";
  secrets::Providers secrets;  // --secrets-dir, --secrets-env, --age-identity
};
void AddApplyFlags(CLI::App& cmd, ApplyFlags& flags);

// What the deploy history records of an apply besides its plan and result:
// the command, and for a rollback the source's newest revision it moves away
// from (quarantined for watchers until a newer commit arrives).
struct HistoryNote {
  std::string command = "apply";
  std::string head;
};

struct SourceOptions;
// Plans, shows, confirms (unless --auto-approve) and applies `source` (or
// the saved `plan_file`), then records the apply in the deploy history.
// Returns the exit status.
int RunApply(SourceOptions source, const std::string& plan_file, const std::string& source_dir,
             const ApplyFlags& f, const HistoryNote& note);

void AddValidateCommand(CLI::App& app, CommandContext& ctx);
void AddPlanCommand(CLI::App& app, CommandContext& ctx);
void AddApplyCommand(CLI::App& app, CommandContext& ctx);
void AddStatusCommand(CLI::App& app, CommandContext& ctx);
void AddUnlockCommand(CLI::App& app, CommandContext& ctx);
void AddWatchCommand(CLI::App& app, CommandContext& ctx);
void AddRunTaskCommand(CLI::App& app, CommandContext& ctx);
void AddHostsCommand(CLI::App& app, CommandContext& ctx);
void AddCompletionCommand(CLI::App& app, CommandContext& ctx);
void AddHistoryCommand(CLI::App& app, CommandContext& ctx);
void AddRollbackCommand(CLI::App& app, CommandContext& ctx);

}  // namespace stowage::cli
