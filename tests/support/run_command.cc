#include "support/run_command.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace stowage {

CommandRun RunCommand(const std::string& command) {
  CommandRun r;
  const std::string cmd = "(" + command + ") 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe))
    r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

CommandRun RunStowage(const std::string& args) {
  return RunCommand(std::string(STOWAGE_BINARY) + " " + args);
}

}  // namespace stowage
