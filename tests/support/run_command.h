// Runs a shell command line for a test and collects what it printed.
#pragma once

#include <string>

namespace stowage {

struct CommandRun {
  int exit_code = -1;  // -1 when it did not exit normally
  std::string output;  // stdout and stderr, interleaved
};

// `sh -c COMMAND 2>&1`.
CommandRun RunCommand(const std::string& command);
// The real `stowage` executable of this build with ARGS (a shell word list).
CommandRun RunStowage(const std::string& args);

}  // namespace stowage
