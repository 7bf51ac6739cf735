// Entry point: parses the command line and runs one subcommand.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "cli/command.h"

int main(int argc, char** argv) {
  CLI::App app{"stowage: keep a fleet of Docker hosts in the state a git repository describes"};
  app.set_version_flag("--version", "stowage 0.1.0");
  app.require_subcommand(1);
  app.footer(
      "Exit status (see stowage(1)):\n"
      "  0  success: valid source; plan without --detailed-exitcode; apply converged\n"
      "     (apply --no-wait: every new task started)\n"
      "  1  error: invalid source or arguments, engine errors, a deployment failed,\n"
      "     apply interrupted\n"
      "  2  plan --detailed-exitcode: the plan has changes\n"
      "  3  apply: a deployment failed and was rolled back to the previous revision\n"
      "  4  apply: some tasks could not be placed (the rest was applied)");
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log debug detail to stderr");

  stowage::cli::CommandContext ctx;
  stowage::cli::AddValidateCommand(app, ctx);
  stowage::cli::AddPlanCommand(app, ctx);
  stowage::cli::AddApplyCommand(app, ctx);
  stowage::cli::AddRunTaskCommand(app, ctx);
  stowage::cli::AddStatusCommand(app, ctx);
  stowage::cli::AddUnlockCommand(app, ctx);
  stowage::cli::AddWatchCommand(app, ctx);
  stowage::cli::AddHostsCommand(app, ctx);

  auto logger = spdlog::stderr_color_mt("stowage");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%^%l%$: %v");
  app.parse_complete_callback(
      [&] { spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return ctx.exit_code;
}
