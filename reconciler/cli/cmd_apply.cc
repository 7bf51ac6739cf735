// `stowage apply [SOURCE | PLANFILE]`: plan, show, confirm, and converge.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <optional>

#include "apply/applier.h"
#include "cli/command.h"
#include "cli/fleet.h"
#include "cli/notify_options.h"
#include "cli/secret_options.h"
#include "cli/traffic.h"
#include "notify/release.h"
#include "pipeline/converge.h"
#include "plan/plan_json.h"
#include "render/apply_events.h"
#include "render/plan_text.h"

namespace stowage::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void OnSignal(int sig) {
  g_cancel = true;
  // A second signal ends the process at once.
  signal(sig, SIG_DFL);
}

bool Confirm(const std::string& cluster) {
  std::cerr << "Apply this plan to cluster " << cluster << "? Only 'yes' is accepted: ";
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "yes";
}

std::unique_ptr<apply::Observer> MakeObserver(const ApplyFlags& f, const plan::Plan& p) {
  if (f.json) return std::make_unique<render::JsonLinesObserver>(std::cout);
  if (isatty(STDOUT_FILENO)) return std::make_unique<render::LiveObserver>(std::cout, p);
  return std::make_unique<render::PlainObserver>(std::cout);
}

}  // namespace

// `source` is the command line's; a saved plan brings its own (recorded
// when it was made) unless --source names another directory.
int RunApply(SourceOptions source, const std::string& plan_file, const std::string& source_dir,
             const ApplyFlags& f, const HistoryNote& note) {
  bool tty = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
  if (!f.auto_approve && !tty) {
    return PrintError(Status::Invalid("no terminal to confirm on: pass --auto-approve"));
  }
  std::optional<plan::Plan> saved;
  if (!plan_file.empty()) {
    auto read = plan::ReadPlanFile(plan_file);
    if (!read.ok()) return PrintError(read.status());
    saved = std::move(*read);
    if (source_dir.empty()) {
      source = FromPlanSource(saved->source, source);
    } else {
      source.dir = source_dir;  // with --path, if given, inside it
    }
  }
  auto loaded = LoadResolved(source, &f.secrets);
  if (!loaded.ok()) return PrintError(loaded.status());
  model::DesiredState* desired = &loaded->state;
  auto factory = MakeRuntimeFactory(source, f.pull);
  auto routers = MakeRouterFactory(source);
  pipeline::ConvergeOptions options;
  options.plan.prune = f.prune;
  options.plan.allow_mass_delete = f.allow_mass_delete;
  options.plan.unreachable_grace = f.unreachable_grace;
  options.apply.parallelism = f.parallelism;
  options.apply.settle = std::chrono::seconds(f.settle);
  options.apply.wait = f.wait;
  options.apply.wait_stopped = f.wait_stopped;
  options.apply.cancel = &g_cancel;
  options.apply.resolve_secret = loaded->secrets.Resolver();
  options.lock = CliLockOptions(std::chrono::seconds(f.lock_timeout));
  options.saved = std::move(saved);
  options.traffic = CliTraffic(*routers);
  options.history.command = note.command;
  options.history.head = note.head;
  pipeline::ConvergeHooks hooks;
  hooks.locked = [] {
    // From now on a signal stops the apply (not the process): the lock is released.
    signal(SIGINT, OnSignal);
    signal(SIGTERM, OnSignal);
  };
  hooks.show = [&](const plan::Plan& p) {
    if (!f.json) std::cout << render::RenderPlanText(p, {render::ColorWanted(STDOUT_FILENO)});
  };
  hooks.approve = [&](const plan::Plan&) {
    return f.auto_approve || Confirm(desired->cluster.name);
  };
  hooks.observer = [&](const plan::Plan& p) { return MakeObserver(f, p); };
  auto notifier = MakeNotifier(f.notify);
  hooks.before_apply = [&](plan::Plan&) {
    notifier->Publish(notify::StartedEvent(*desired));
    return Status::Ok();
  };
  hooks.finished = [&](const model::DesiredState&, const pipeline::ConvergeResult& r) {
    if (r.stage == pipeline::ConvergeResult::Stage::kApplied) {
      notifier->Publish(notify::FinishedEvent(*desired, r.applied));
    }
  };
  const pipeline::ConvergeResult result = pipeline::Converge(*desired, *factory, options, hooks);
  notifier->Flush(std::chrono::seconds(3));  // a receiver that hangs costs at most this
  if (!result.history.ok()) {
    std::cerr << "warning: the deploy history was not recorded: " << result.history.message()
              << "\n";
  }
  for (const auto& e : result.one_shots.errors) {
    std::cerr << "warning: an old one-shot task was not removed: " << e << "\n";
  }
  PrintTraffic(result.traffic, f.json);
  using Stage = pipeline::ConvergeResult::Stage;
  if (result.stage == Stage::kCancelled) {
    std::cerr << "Apply cancelled.\n";
    return 1;
  }
  if (result.stage != Stage::kApplied) {
    if (!result.status.ok()) return PrintError(result.status);
    if (f.json && result.plan.errors.empty()) {
      const auto nothing = apply::NothingToApply(*desired, result.plan);
      std::cout << render::ApplySummaryJson(nothing).dump() << "\n";
    }
    return result.ExitCode();
  }
  if (f.json) {
    std::cout << render::ApplySummaryJson(result.applied).dump() << "\n";
  } else {
    std::cout << render::RenderApplySummary(result.applied);
  }
  return result.ExitCode();
}

void AddApplyCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "apply", "Plan, show, confirm and converge the fleet (or apply a saved plan)");
  static SourceOptions source_options;
  static ApplyFlags f;
  static std::string source_dir;
  AddSourceOptions(*cmd, source_options);
  cmd->add_option("--source", source_dir,
                  "With a PLANFILE as argument: read the source from this directory instead "
                  "of the one the plan records")
      ->type_name("DIR");
  AddApplyFlags(*cmd, f);
  cmd->callback([&ctx] {
    SourceOptions source = source_options;
    std::string plan_file;
    std::error_code ec;
    if (!source.IsGit() && std::filesystem::is_regular_file(source.dir, ec)) {
      plan_file = source.dir;
    }
    ctx.exit_code = RunApply(source, plan_file, source_dir, f, {});
  });
}

void AddApplyFlags(CLI::App& app, ApplyFlags& f) {
  auto* cmd = &app;
  AddSecretOptions(*cmd, f.secrets);
  cmd->add_flag("--auto-approve", f.auto_approve,
                "Apply without asking (required without a terminal)");
  cmd->add_flag("--json", f.json, "Print one JSON event per line, then a summary object");
  cmd->add_flag("--wait,!--no-wait", f.wait,
                "Wait for every deployment to complete or fail (default); --no-wait starts "
                "the new tasks, stops no old one, and returns without waiting for health "
                "(the next apply finishes the deployment)");
  cmd->add_flag("--wait-stopped", f.wait_stopped,
                "Also wait until the old tasks of each service's last step have stopped and "
                "are removed (default: their stops are handed to the engines, which kill "
                "them after their stopTimeout; the next apply removes them)");
  cmd->add_option("--parallelism", f.parallelism,
                  "Creates, starts and removes in flight per host (stops and pulls have "
                  "bounds of their own: 64 and 4)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--settle", f.settle,
                  "Seconds a task without a health check must run to count as healthy")
      ->check(CLI::Range(0, 3600));
  cmd->add_option("--lock-timeout", f.lock_timeout,
                  "Seconds to wait for the cluster lock (default 0: fail at once)");
  cmd->add_flag("--prune", f.prune, "Remove tasks of services no longer in the source");
  cmd->add_flag("--allow-mass-delete", f.allow_mass_delete,
                "Allow a plan that stops more than half of all running tasks");
  AddUnreachableGraceOption(*cmd, f.unreachable_grace);
  AddNotifyOption(*cmd, f.notify);
  AddPullOption(*cmd, f.pull);
}

}  // namespace stowage::cli
