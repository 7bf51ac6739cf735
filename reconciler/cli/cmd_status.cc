// `stowage status [SOURCE] [--json]`: per service and per host, what runs.
#include <iostream>
#include <optional>

#include "cli/command.h"
#include "cli/fleet.h"
#include "cli/secret_options.h"
#include "cli/traffic.h"
#include "observe/observed.h"
#include "observe/snapshot.h"
#include "render/status.h"
#include "status/fleet_status.h"

namespace stowage::cli {

void AddStatusCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "status", "Show per service desired, running, healthy and pending tasks, and per host");
  static SourceOptions source_options;
  static bool json = false;
  static secrets::Providers providers;
  AddSourceOptions(*cmd, source_options);
  AddSecretOptions(*cmd, providers);
  cmd->add_flag("--json", json, "Print the status as JSON");
  cmd->callback([&ctx] {
    // Without providers, a service with secrets shows the revision of its
    // definition alone (what runs carries the one that covers the values).
    auto loaded = LoadResolved(source_options, providers.any() ? &providers : nullptr);
    if (!loaded.ok()) {
      ctx.exit_code = PrintError(loaded.status());
      return;
    }
    const model::DesiredState* desired = &loaded->state;
    auto factory = MakeRuntimeFactory(source_options);
    auto observed = observe::ObserveFleet(*desired, *factory);
    auto routers = MakeRouterFactory();
    auto gate = MakeTrafficGate(*desired, *routers);
    std::optional<targets::TargetListing> listing;
    if (gate) listing = gate->ListAll();
    auto fleet = status::BuildStatus(*desired, observed, listing ? &*listing : nullptr);
    if (json) {
      std::cout << render::StatusJson(fleet).dump(2) << "\n";
    } else {
      std::cout << render::StatusText(fleet);
    }
    bool balancers_answered = true;
    for (const auto& g : fleet.target_groups)
      balancers_answered = balancers_answered && g.reachable;
    ctx.exit_code = observed.UnreachableHosts().empty() && balancers_answered ? 0 : 1;
  });
}

}  // namespace stowage::cli
