#include "support/git_repo.h"

#include <stdio.h>

#include <array>
#include <stdexcept>

namespace stowage {

GitRepo::GitRepo(const std::string& branch) { Git("init -q -b " + branch); }

std::string GitRepo::Commit(const std::string& message) const {
  Git("add -A");
  Git("commit -q --allow-empty -m '" + message + "'");
  return Git("rev-parse HEAD");
}

std::string GitRepo::Git(const std::string& args) const {
  const std::string cmd =
      "cd '" + dir_.path() +
      "' && GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t "
      "GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent git " +
      args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  if (pclose(pipe) != 0) throw std::runtime_error("git " + args + " failed: " + out);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace stowage
