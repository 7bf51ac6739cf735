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
#include "history/from_apply.h"
#include "notify/release.h"
#include "observe/observed.h"
#include "observe/snapshot.h"
#include "plan/plan_json.h"
#include "plan/planner.h"
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

// The plan to apply: made now, or the saved one checked against now.
Result<plan::Plan> ThePlan(std::optional<plan::Plan> saved, const model::DesiredState& desired,
                           const observe::ObservedState& observed, const ApplyFlags& f) {
  if (!saved) {
    plan::PlanOptions o;
    o.prune = f.prune || desired.cluster.prune;
    o.allow_mass_delete = f.allow_mass_delete;
    o.unreachable_grace = f.unreachable_grace;
    return plan::MakePlan(desired, observed, o);
  }
  if (saved->source_revision != desired.source_revision) {
    return Status::Conflict("plan is stale: the source changed since the plan was made");
  }
  if (saved->state_fingerprint != observed.Fingerprint()) {
    auto changed = observe::ChangedHosts(saved->host_fingerprints, observed.HostFingerprints());
    if (changed.empty()) {
      return Status::Conflict("plan is stale: the hosts changed since the plan was made");
    }
    std::string names;
    for (const auto& h : changed) names += (names.empty() ? "" : ", ") + h;
    return Status::Conflict("plan is stale: host" + std::string(changed.size() > 1 ? "s " : " ") +
                            names + " changed since the plan was made");
  }
  return std::move(*saved);
}

std::unique_ptr<apply::Observer> MakeObserver(const ApplyFlags& f, const plan::Plan& p) {
  if (f.json) return std::make_unique<render::JsonLinesObserver>(std::cout);
  if (isatty(STDOUT_FILENO)) return std::make_unique<render::LiveObserver>(std::cout, p);
  return std::make_unique<render::PlainObserver>(std::cout);
}

// Leaves the apply in the deploy history (history/store.h) on the engines; a
// failure to write it is a warning, never a failed apply.
void RecordApply(const model::DesiredState& desired, const plan::Plan& p,
                 const apply::ApplyResult& result, runtime::RuntimeFactory& factory,
                 const HistoryNote& note) {
  history::ApplyContext c;
  c.by = history::WhoAmI();
  c.command = note.command;
  c.time = history::UnixMillis();
  c.details = {desired.source_git, desired.source_author, desired.source_subject};
  c.head = note.head;
  auto written =
      history::WriteRecord(desired.cluster, factory, history::RecordOfApply(p, result, c), {});
  if (!written.ok()) {
    std::cerr << "warning: the deploy history was not recorded: " << written.status().message()
              << "\n";
  }
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
  auto lock = LockCluster(*desired, *factory, std::chrono::seconds(f.lock_timeout));
  if (!lock.ok()) return PrintError(lock.status());
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  auto routers = MakeRouterFactory();
  auto gate = MakeTrafficGate(*desired, *routers);
  auto observed = observe::ObserveFleet(*desired, *factory, {.inspect = true});
  auto p = ThePlan(std::move(saved), *desired, observed, f);
  if (!p.ok()) return PrintError(p.status());
  if (!f.json) std::cout << render::RenderPlanText(*p, {render::ColorWanted(STDOUT_FILENO)});
  if (!p->errors.empty()) return 1;
  if (!p->HasChanges()) {
    // Nothing to start or stop; the balancers may still have drifted.
    const bool synced = !gate || SyncTraffic(*gate, *desired, *factory, f.json);
    // A rollback to what runs already still moves the watcher off the head.
    if (note.command == "rollback") RecordApply(*desired, *p, {}, *factory, note);
    if (f.json) std::cout << render::ApplySummaryJson({}).dump() << "\n";
    if (!synced) return 1;
    return p->summary.blocked_services > 0 ? 4 : 0;
  }
  if (!f.auto_approve && !Confirm(desired->cluster.name)) {
    std::cerr << "Apply cancelled.\n";
    return 1;
  }
  apply::ApplyOptions o;
  o.parallelism = f.parallelism;
  o.settle = std::chrono::seconds(f.settle);
  o.wait = f.wait;
  o.cancel = &g_cancel;
  o.traffic = gate.get();
  o.resolve_secret = loaded->secrets.Resolver();
  auto observer = MakeObserver(f, *p);
  auto notifier = MakeNotifier(f.notify);
  notifier->Publish(notify::StartedEvent(*desired));
  auto result = apply::Apply(*p, *desired, *factory, o, observer.get());
  RecordApply(*desired, *p, result, *factory, note);
  notifier->Publish(notify::FinishedEvent(*desired, result));
  notifier->Flush(std::chrono::seconds(3));  // a receiver that hangs costs at most this
  const bool synced = !gate || SyncTraffic(*gate, *desired, *factory, f.json);
  if (f.json) {
    std::cout << render::ApplySummaryJson(result).dump() << "\n";
  } else {
    std::cout << render::RenderApplySummary(result);
  }
  if (!synced && result.ExitCode() == 0) return 1;
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
