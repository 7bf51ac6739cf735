// Printable: text from outside (a source's values and file names, engine
// labels, records others wrote) made safe to print on a terminal or in a log.
//
// The one escaping function of stowage: the diagnostic renderer, the plan
// text, the logs and every message quoting such text use it, so input can
// neither colour a terminal (an ANSI escape), move the cursor, nor forge a
// line (a newline in a file name). Control characters become visible escapes:
// "\n", "\r", "\t", "\x1b", "\x7f"; the C1 controls (U+0080..U+009F, which some
// terminals also obey) become "\u009b". Everything else, printable UTF-8
// included, is kept; backslashes are not doubled (this is for people to read,
// and quoted values already escape theirs).
#pragma once

#include <string>
#include <string_view>

namespace stowage {

std::string Printable(std::string_view text);

// True when Printable would change `text`.
bool HasControl(std::string_view text);

}  // namespace stowage
