// `stowage history [SOURCE]`: the deploy history kept on the cluster's engines.
//
// Also with an invalid source (its diagnostics go to stderr): when its
// cluster document decoded, the history of that cluster is shown all the
// same (exit status 1), as `stowage status` shows what runs.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/fleet.h"
#include "history/store.h"
#include "render/history.h"

namespace stowage::cli {
namespace {

int RunHistory(const SourceOptions& source, bool json) {
  auto loaded = LoadToLookAt(source);
  if (!loaded.ok()) return PrintError(loaded.status());
  const model::Cluster& cluster = loaded->desired.cluster;
  auto factory = MakeRuntimeFactory(source);
  auto h = history::ReadHistory(cluster, *factory);
  if (!h.ok()) return PrintError(h.status());
  if (json) {
    std::cout << render::HistoryJson(cluster.name, *h)
                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    std::cout << render::HistoryText(cluster.name, *h);
  }
  if (loaded->invalid_errors == 0) return 0;
  std::cerr << "error: the source is invalid (" << loaded->invalid_errors
            << (loaded->invalid_errors == 1 ? " error" : " errors")
            << "): the history of its cluster is shown all the same\n";
  return 1;
}

}  // namespace

void AddHistoryCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "history", "Show the deploy history kept on the cluster's engines (newest first)");
  static SourceOptions source_options;
  static bool json = false;
  AddSourceOptions(*cmd, source_options);
  cmd->add_flag("--json", json, "Print the history as one JSON document");
  cmd->callback([&ctx] { ctx.exit_code = RunHistory(source_options, json); });
}

}  // namespace stowage::cli
