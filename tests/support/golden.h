// Golden files of the unit tests: expected output kept under tests/golden/.
#pragma once

#include <string>

namespace stowage::testing {

// The content of tests/golden/NAME ("" when missing).
std::string GoldenFile(const std::string& name);
// With STOWAGE_GOLDEN_UPDATE=1, rewrites tests/golden/NAME with `actual`
// (review the diff before committing it).
void UpdateGolden(const std::string& name, const std::string& actual);

}  // namespace stowage::testing
