// The subcommands of the `stowage` executable and what they share.
//
// Each subcommand lives in its own cmd_*.cc file and registers itself on the
// CLI11 app through one Add*Command function listed here; main.cc calls them
// in the order `stowage --help` shows. A command's callback stores its exit
// status in CommandContext (0 ok, 1 error, 2 changes for plan
// --detailed-exitcode, 3 rolled back, 4 not all placed; see stowage(1)).
#pragma once

#include <CLI/CLI.hpp>

namespace stowage::cli {

struct CommandContext {
  int exit_code = 0;
};

void AddValidateCommand(CLI::App& app, CommandContext& ctx);
void AddPlanCommand(CLI::App& app, CommandContext& ctx);
void AddApplyCommand(CLI::App& app, CommandContext& ctx);
void AddStatusCommand(CLI::App& app, CommandContext& ctx);
void AddUnlockCommand(CLI::App& app, CommandContext& ctx);
void AddWatchCommand(CLI::App& app, CommandContext& ctx);
void AddRunTaskCommand(CLI::App& app, CommandContext& ctx);
void AddHostsCommand(CLI::App& app, CommandContext& ctx);

}  // namespace stowage::cli
