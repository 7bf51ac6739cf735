#include "load_test_util.h"

namespace stowage::load {

LoadedSource LoadFiles(const std::map<std::string, std::string>& files) {
  TempDir dir;
  for (const auto& [path, content] : files) dir.Write(path, content);
  auto source = NewDirectorySource(dir.path());
  return LoadSource(*source);
}

std::vector<std::string> Lines(const LoadedSource& loaded) {
  std::vector<std::string> out;
  for (const auto& d : loaded.diagnostics.items()) out.push_back(FormatDiagnostic(d));
  return out;
}

}  // namespace stowage::load
