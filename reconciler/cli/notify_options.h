// `--notify URL` (apply, watch): where release events are POSTed (notify/).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "notify/notifier.h"

namespace stowage::cli {

void AddNotifyOption(CLI::App& cmd, std::vector<std::string>& urls);
// A notifier for `urls` over libcurl, signed with $STOWAGE_NOTIFY_SECRET when set;
// with no URL it accepts events and sends nothing.
std::unique_ptr<notify::Notifier> MakeNotifier(const std::vector<std::string>& urls);

}  // namespace stowage::cli
