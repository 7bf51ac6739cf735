// RunShell: runs a shell command line for a test and returns its exit status
// and its standard output (add 2>&1 to the command for stderr too).
#pragma once

#include <string>

namespace stowage {

struct ShellRun {
  int exit_code = -1;  // -1 when the command did not exit normally
  std::string output;
};

ShellRun RunShell(const std::string& command);

// The file's bytes ("" when it cannot be read).
std::string ReadFileBytes(const std::string& path);

}  // namespace stowage
