#include "support/golden.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace stowage::testing {
namespace {

std::string PathOf(const std::string& name) {
  return std::string(STOWAGE_SOURCE_DIR) + "/tests/golden/" + name;
}

}  // namespace

std::string GoldenFile(const std::string& name) {
  std::ifstream in(PathOf(name), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void UpdateGolden(const std::string& name, const std::string& actual) {
  const char* update = std::getenv("STOWAGE_GOLDEN_UPDATE");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(PathOf(name), std::ios::binary) << actual;
  }
}

}  // namespace stowage::testing
