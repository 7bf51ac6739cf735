// `stowage status [SOURCE] [--json]`: per service and per host, what runs.
//
// Also with an invalid source (its diagnostics go to stderr): when its cluster
// document decoded, what runs on the cluster's hosts is shown all the same,
// with a line saying the source is invalid (exit status 1).
#include <iostream>
#include <optional>

#include "cli/command.h"
#include "cli/fleet.h"
#include "cli/secret_options.h"
#include "cli/traffic.h"
#include "observe/snapshot.h"
#include "render/status.h"
#include "status/fleet_status.h"

namespace stowage::cli {
namespace {

int RunStatus(const SourceOptions& source, const secrets::Providers& providers, bool json) {
  // Without providers, a service with secrets shows the revision of its
  // definition alone (what runs carries the one that covers the values).
  auto loaded = LoadToLookAt(source, providers.any() ? &providers : nullptr);
  if (!loaded.ok()) return PrintError(loaded.status());
  const model::DesiredState& desired = loaded->desired;
  std::string source_error;
  if (const int errors = loaded->invalid_errors; errors > 0) {
    source_error = "The source is invalid (" + std::to_string(errors) +
                   (errors == 1 ? " error" : " errors") +
                   "): showing what runs; desired counts are unknown.";
  }
  auto factory = MakeRuntimeFactory(source);
  auto observed = observe::ObserveFleet(desired, *factory);
  auto routers = MakeRouterFactory(source);
  auto gate = pipeline::MakeTrafficGate(desired, CliTraffic(*routers));
  std::optional<targets::TargetListing> listing;
  if (gate) listing = gate->ListAll();
  auto fleet = status::BuildStatus(desired, observed, listing ? &*listing : nullptr);
  fleet.source_error = source_error;
  if (json) {
    std::cout << render::StatusJson(fleet).dump(2) << "\n";
  } else {
    std::cout << render::StatusText(fleet);
  }
  bool balancers_answered = true;
  for (const auto& g : fleet.target_groups) balancers_answered = balancers_answered && g.reachable;
  return source_error.empty() && observed.UnreachableHosts().empty() && balancers_answered ? 0 : 1;
}

}  // namespace

void AddStatusCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "status", "Show per service desired, running, healthy and pending tasks, and per host");
  static SourceOptions source_options;
  static bool json = false;
  static secrets::Providers providers;
  AddSourceOptions(*cmd, source_options);
  AddSecretOptions(*cmd, providers);
  cmd->add_flag("--json", json, "Print the status as JSON");
  cmd->callback([&ctx] { ctx.exit_code = RunStatus(source_options, providers, json); });
}

}  // namespace stowage::cli
