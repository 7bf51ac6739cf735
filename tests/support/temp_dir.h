// TempDir: a scratch directory for a test, removed when it goes out of scope.
#pragma once

#include <filesystem>
#include <string>

namespace stowage {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `content` to `relative` (creating parent folders); returns the full path.
  std::string Write(const std::string& relative, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace stowage
