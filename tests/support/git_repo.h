// GitRepo: a scratch git repository driven by the git CLI, for tests of the
// git source and the watcher. Commits carry a fixed author and date.
#pragma once

#include <string>

#include "support/temp_dir.h"

namespace stowage {

class GitRepo {
 public:
  // `git init -b <branch>` in a fresh temporary directory.
  explicit GitRepo(const std::string& branch = "main");
  const std::string& path() const { return dir_.path(); }
  void Write(const std::string& relative, const std::string& content) const {
    dir_.Write(relative, content);
  }
  // `git add -A && git commit`; returns the new commit id.
  std::string Commit(const std::string& message) const;
  // Runs `git <args>` in the repository; returns trimmed stdout, throws on failure.
  std::string Git(const std::string& args) const;

 private:
  TempDir dir_;
};

}  // namespace stowage
