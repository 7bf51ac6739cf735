// Printable: makes text from outside (engine labels, records others wrote)
// safe to print on a terminal or in a log line.
//
// Bytes below 0x20, DEL and a backslash are written as escapes (\n, \t, \\,
// \x1b ...), so an edited label can neither move the cursor, colour the
// output nor forge a line. Everything else (UTF-8 included) passes unchanged.
#pragma once

#include <string>
#include <string_view>

namespace stowage {

std::string Printable(std::string_view text);

}  // namespace stowage
