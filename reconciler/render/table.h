// Plain-text tables for the human output of `status` and `hosts`: rows of
// cells, each column as wide as its widest cell, columns two blanks apart.
// An empty first cell in every row indents the table by two blanks. Also the
// one form of a time in human output (UtcTime).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stowage::render {

// One line per row, each ending in '\n'; no trailing blanks. Cells hold names
// and errors from outside (engine labels, the source), so each is escaped
// (Printable) before it is measured.
std::string Table(const std::vector<std::vector<std::string>>& rows);

// "2026-11-29 20:23:31 UTC".
std::string UtcTime(std::int64_t unix_seconds);

}  // namespace stowage::render
