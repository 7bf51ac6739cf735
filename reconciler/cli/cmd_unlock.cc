// `stowage unlock --force [SOURCE]`: remove the cluster lock a dead apply left.
#include <iostream>

#include "apply/lock.h"
#include "cli/command.h"
#include "cli/fleet.h"

namespace stowage::cli {

void AddUnlockCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("unlock", "Remove the cluster's apply lock (with --force)");
  static SourceOptions source_options;
  static bool force = false;
  AddSourceOptions(*cmd, source_options);
  cmd->add_flag("--force", force, "Required: remove the lock even if its holder still runs");
  cmd->callback([&ctx] {
    if (!force) {
      std::cerr << "error: unlock removes a lock another apply may hold; pass --force\n";
      ctx.exit_code = 1;
      return;
    }
    auto desired = LoadDesired(source_options);
    if (!desired.ok()) {
      ctx.exit_code = PrintError(desired.status());
      return;
    }
    auto factory = MakeRuntimeFactory(source_options);
    auto removed = apply::ForceUnlock(desired->cluster, *factory);
    if (!removed.ok()) {
      ctx.exit_code = PrintError(removed.status());
      return;
    }
    if (removed->empty()) std::cout << "cluster " << desired->cluster.name << " was not locked\n";
    for (const auto& h : *removed) {
      std::cout << "removed the lock of cluster " << desired->cluster.name << " held by "
                << h.Describe() << "\n";
    }
  });
}

}  // namespace stowage::cli
