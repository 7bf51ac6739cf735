// Helpers for loader tests: load a few files from a temp dir, format diagnostics.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "load/load_source.h"
#include "support/temp_dir.h"

namespace stowage::load {

// Writes `files` (relative path -> content) into a fresh directory and loads it.
LoadedSource LoadFiles(const std::map<std::string, std::string>& files);
// Every diagnostic as `path:line:col: severity: message`.
std::vector<std::string> Lines(const LoadedSource& loaded);

}  // namespace stowage::load
