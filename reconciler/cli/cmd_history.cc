// `stowage history [SOURCE]`: the deploy history kept on the cluster's engines.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/fleet.h"
#include "history/store.h"
#include "render/history.h"

namespace stowage::cli {
void AddHistoryCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "history", "Show the deploy history kept on the cluster's engines (newest first)");
  static SourceOptions source_options;
  static bool json = false;
  AddSourceOptions(*cmd, source_options);
  cmd->add_flag("--json", json, "Print the history as one JSON document");
  cmd->callback([&ctx] {
    auto desired = LoadDesired(source_options);
    if (!desired.ok()) {
      ctx.exit_code = PrintError(desired.status());
      return;
    }
    auto factory = MakeRuntimeFactory(source_options);
    auto h = history::ReadHistory(desired->cluster, *factory);
    if (!h.ok()) {
      ctx.exit_code = PrintError(h.status());
      return;
    }
    const std::string& cluster = desired->cluster.name;
    if (json) {
      std::cout << render::HistoryJson(cluster, *h)
                       .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
    } else {
      std::cout << render::HistoryText(cluster, *h);
    }
  });
}

}  // namespace stowage::cli
