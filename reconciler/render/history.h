// The deploy history as text and as JSON (`stowage history`, `--json`).
//
// Every text that came from a record (who, subject, author, reason) passes
// through Printable: records are read from engines anyone with docker access
// can edit.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "history/store.h"

namespace stowage::render {

// Newest first, one block per apply, then warnings (hosts that did not
// answer, records that did not decode).
std::string HistoryText(const std::string& cluster, const history::History& h);
nlohmann::json HistoryJson(const std::string& cluster, const history::History& h);

}  // namespace stowage::render
