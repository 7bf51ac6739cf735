// Rendering diagnostics for people (one line each) and for machines (JSON).
//
// Every command that validates a source prints its problems the same way:
// `path:line:col: error: message`, with the path as the user gave the source
// (`examples/web.yaml`, not a path inside the source), coloured only on a
// terminal. The JSON form is an array of {file, line, column, severity,
// message} objects (stowage-validate(1)).
#pragma once

#include <string>

#include "diag/diagnostic.h"

namespace stowage::render {

// `prefix` joined to `file` with one '/', or `file` alone when prefix is empty
// or "."; an empty file stays empty (a diagnostic about no file).
std::string DisplayPath(const std::string& prefix, const std::string& file);

struct DiagnosticsStyle {
  std::string path_prefix;  // see DisplayPath
  bool color = false;       // bold place, red "error", magenta "warning"
};

// One line per diagnostic, each ending in '\n', in the order given.
std::string DiagnosticsText(const Diagnostics& diags, const DiagnosticsStyle& style);

// A JSON array (pretty-printed, 2 spaces, trailing newline).
std::string DiagnosticsJson(const Diagnostics& diags, const std::string& path_prefix);

}  // namespace stowage::render
