// Shell completion scripts for `stowage completion bash|zsh|fish`.
//
// The scripts are generated from the command line itself (CLI11's tree of
// subcommands and options), so a new command or option completes without
// editing anything here. DescribeCommands reads the tree; CompletionScript
// renders one shell's script from that description (pure, unit-tested).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "base/status.h"

namespace stowage::cli {

struct CompletionOption {
  std::vector<std::string> names;  // "--json", "-v"
  std::string description;
  bool takes_value = false;  // completes a file name after it
};

struct CompletionCommand {
  std::string name;  // "" for the top level
  std::string description;
  std::vector<CompletionOption> options;
};

// The top level first, then every subcommand in `stowage --help` order.
std::vector<CompletionCommand> DescribeCommands(const CLI::App& app);

// "bash", "zsh" or "fish"; anything else is an error naming the three.
Result<std::string> CompletionScript(const std::string& shell,
                                     const std::vector<CompletionCommand>& commands);

}  // namespace stowage::cli
