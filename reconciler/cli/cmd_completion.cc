// `stowage completion bash|zsh|fish`: print a shell completion script.
#include <iostream>

#include "cli/command.h"
#include "cli/completion.h"

namespace stowage::cli {

void AddCompletionCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("completion",
                                 "Print a shell completion script (bash, zsh or fish); e.g. "
                                 "`stowage completion bash > /etc/bash_completion.d/stowage`");
  static std::string shell;
  cmd->add_option("shell", shell, "bash, zsh or fish")->required();
  cmd->callback([&app, &ctx] {
    auto script = CompletionScript(shell, DescribeCommands(app));
    if (!script.ok()) {
      std::cerr << "stowage: " << script.status().message() << "\n";
      ctx.exit_code = 1;
      return;
    }
    std::cout << *script;
  });
}

}  // namespace stowage::cli
