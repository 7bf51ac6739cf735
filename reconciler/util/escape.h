// EscapeControl: text from a source made safe to print on a terminal or in a log.
//
// Every value and path that came from a source (a file name, an image, a
// field's text) and ends up in a diagnostic, a plan, or a log line passes
// through this one function, so input can neither colour a terminal (an
// ANSI escape) nor forge a line (a newline in a file name). Control
// characters become visible escapes: "\n", "\r", "\t", "\x1b"; the C1
// controls (U+0080..U+009F, which some terminals also obey) become "\u009b".
// Everything else, printable UTF-8 included, is kept as it is; backslashes
// are not doubled (this is for people to read, not to parse back).
#pragma once

#include <string>
#include <string_view>

namespace stowage {

std::string EscapeControl(std::string_view text);

// True when EscapeControl would change `text`.
bool HasControl(std::string_view text);

}  // namespace stowage
