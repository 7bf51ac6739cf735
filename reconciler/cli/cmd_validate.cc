// `stowage validate [SOURCE]`: load and check every document of a source.
#include <iostream>

#include "cli/command.h"
#include "source/source.h"

namespace stowage::cli {

void AddValidateCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd =
      app.add_subcommand("validate", "Check every document of a source and report problems");
  static std::string source_dir = ".";
  cmd->add_option("SOURCE", source_dir, "Source directory (default: .)");
  cmd->callback([&ctx] {
    auto source = NewDirectorySource(source_dir);
    auto files = source->List();
    if (!files.ok()) {
      std::cerr << "error: " << files.status().message() << "\n";
      ctx.exit_code = 1;
      return;
    }
    std::cout << files->size() << " documents\n";
  });
}

}  // namespace stowage::cli
