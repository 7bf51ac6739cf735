// Log output for long-running commands: `--log-format text|json`.
//
// text: "2026-11-21T20:03:20.123Z info new revision 3f2a…" (colour on a
// terminal); json: one object per line, {"time","level","msg"}, the message
// JSON-escaped, for log collectors. Both go to stderr, one line per event.
// Every message has its control characters escaped (util/printable.h).
#pragma once

#include <string>

#include "base/status.h"

namespace stowage::cli {

// What every command logs before --log-format applies: "warning: message".
void SetCommandLogFormat();

// kInvalid for anything but "text" or "json".
Status SetLogFormat(const std::string& format);

}  // namespace stowage::cli
