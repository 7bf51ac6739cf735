// Entry point: parses the command line and runs one subcommand.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/log_format.h"
#include "util/printable.h"
#include "util/suggest.h"

namespace {

// CLI11's formatter keeps its usage line to itself (protected).
class UsageFormatter : public CLI::Formatter {
 public:
  std::string Usage(const CLI::App* app, const std::string& name) const {
    return make_usage(app, name);
  }
};

// The first word that is not an option, when no subcommand was recognised:
// `stowage bogus` says "unknown command bogus", not "a subcommand is required".
std::string UnknownCommand(const CLI::App& app, int argc, char** argv) {
  if (!app.get_subcommands().empty()) return "";
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.empty() || word[0] == '-') continue;
    std::string msg = "unknown command \"" + stowage::Printable(word) + "\"";
    if (auto near = stowage::ClosestMatch(word, names)) msg += " (did you mean " + *near + "?)";
    return msg;
  }
  return "";
}

// A bad command line: the error, the usage line of the (sub)command, exit 1
// (CLI11's own codes, 106 or 109, mean nothing to a script).
int UsageError(CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  const CLI::App* cmd = &app;
  std::string name = app.get_name();
  for (const CLI::App* sub : app.get_subcommands()) {
    cmd = sub;
    name += " " + sub->get_name();
  }
  std::string what = UnknownCommand(app, argc, argv);
  std::cerr << name << ": error: " << (what.empty() ? e.what() : what) << "\n"
            << UsageFormatter().Usage(cmd, name) << "Run '" << name
            << " --help' for more information.\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"stowage: keep a fleet of Docker hosts in the state a git repository describes",
               "stowage"};
  // Options of the top level (-v) are accepted after the subcommand too:
  // every subcommand inherits this and hands what it does not know upwards.
  app.fallthrough();
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
      "  4  apply: some tasks could not be placed (the rest was applied)\n"
      "apply: the status covers the whole release: 0 only when every service\n"
      "converged or was unchanged; a service not deployed because of a dependency\n"
      "counts as its cause; several: 1 before 3 before 4.");
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
  stowage::cli::AddCompletionCommand(app, ctx);
  stowage::cli::AddHistoryCommand(app, ctx);
  stowage::cli::AddRollbackCommand(app, ctx);

  auto logger = spdlog::stderr_color_mt("stowage");
  spdlog::set_default_logger(logger);
  stowage::cli::SetCommandLogFormat();
  app.parse_complete_callback(
      [&] { spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    return UsageError(app, e, argc, argv);
  }
  return ctx.exit_code;
}
