// Plain-text tables for the human output of `status` and `hosts`: rows of
// cells, each column as wide as its widest cell, columns two blanks apart.
// An empty first cell in every row indents the table by two blanks.
#pragma once

#include <string>
#include <vector>

namespace stowage::render {

// One line per row, each ending in '\n'; no trailing blanks.
std::string Table(const std::vector<std::vector<std::string>>& rows);

}  // namespace stowage::render
