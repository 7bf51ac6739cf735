// `stowage plan [SOURCE]`: what would change, host by host (dry run).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/fleet.h"
#include "cli/secret_options.h"
#include "cli/traffic.h"
#include "pipeline/converge.h"
#include "plan/plan_json.h"
#include "plan/target_changes.h"
#include "render/diagnostics.h"
#include "render/plan_markdown.h"
#include "render/plan_text.h"

namespace stowage::cli {

namespace {

struct PlanFlags {
  SourceOptions source;
  secrets::Providers secrets;
  bool json = false;
  std::string format = "text";
  std::string out;
  std::string out_dir;
  std::vector<std::string> targets;
  bool detailed_exitcode = false;
  bool prune = false;
  bool allow_mass_delete = false;
  bool no_balancers = false;
  std::optional<std::chrono::seconds> unreachable_grace;
};

// Markdown parts: to stdout, or as DIR/plan-1.md, plan-2.md, ... (their
// paths on stdout). Returns false when a file cannot be written.
bool WriteMarkdown(const std::vector<std::string>& parts, const std::string& out_dir) {
  if (out_dir.empty()) {
    for (const auto& part : parts) std::cout << part;
    return true;
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string path = out_dir + "/plan-" + std::to_string(i + 1) + ".md";
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!(file << parts[i]) || !file.flush()) {
      std::cerr << "error: " << path << ": cannot write the plan\n";
      return false;
    }
    std::cout << path << "\n";
  }
  // A longer plan written here before left more parts: remove them.
  for (std::size_t i = parts.size() + 1;; ++i) {
    std::string stale = out_dir + "/plan-" + std::to_string(i) + ".md";
    if (!std::filesystem::remove(stale, ec)) break;
  }
  return true;
}

int RunPlan(const PlanFlags& flags) {
  bool markdown = flags.format == "markdown";
  if (!flags.out_dir.empty() && !markdown) {
    std::cerr << "error: --out-dir needs --format markdown\n";
    return 1;
  }
  auto validated = LoadChecked(flags.source, &flags.secrets);
  if (!validated.ok()) return PrintError(validated.status());
  if (!validated->ok() && markdown) {
    WriteMarkdown(
        render::RenderDiagnosticsMarkdown(validated->diagnostics, DisplayPrefix(flags.source)),
        flags.out_dir);
    return 1;
  }
  auto desired = DesiredOf(std::move(*validated));
  if (!desired.ok()) return PrintError(desired.status());
  auto runtimes = MakeRuntimeFactory(flags.source);
  plan::PlanOptions options;
  options.prune = flags.prune;
  options.allow_mass_delete = flags.allow_mass_delete;
  options.targets = flags.targets;
  options.unreachable_grace = flags.unreachable_grace;
  // The balancers' pools are read (never changed) for the plan's target changes;
  // one that does not answer is a warning (its groups show the plan's own
  // starts and stops), never a failed plan. --no-balancers: not asked at all.
  auto routers = MakeRouterFactory(flags.source);
  std::unique_ptr<apply::TrafficGate> gate;
  if (!flags.no_balancers) gate = pipeline::MakeTrafficGate(*desired, CliTraffic(*routers));
  plan::Plan plan = pipeline::PlanFleet(*desired, *runtimes, options, nullptr, gate.get()).plan;
  for (auto& w : plan::UnlistedBalancers(plan.targets)) plan.warnings.push_back(std::move(w));
  plan.source = ToPlanSource(flags.source, std::move(plan.source.template_values));
  auto json = plan::PlanToJson(plan);
  std::string json_text = json.dump(2) + "\n";
  if (!flags.out.empty()) {
    std::ofstream file(flags.out, std::ios::binary | std::ios::trunc);
    if (!(file << json_text) || !file.flush()) {
      std::cerr << "error: " << flags.out << ": cannot write the plan\n";
      return 1;
    }
  }
  if (flags.json || flags.format == "json") {
    std::cout << json_text;
  } else if (markdown) {
    if (!WriteMarkdown(render::RenderPlanMarkdown(json), flags.out_dir)) return 1;
  } else {
    std::cout << render::RenderPlanText(json, {.color = render::ColorWanted(1)});
  }
  if (!plan.errors.empty()) return 1;
  return flags.detailed_exitcode && (plan.HasChanges() || plan.HasTargetChanges()) ? 2 : 0;
}

}  // namespace

void AddPlanCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "plan", "Show what would change to make the hosts match the source, host by host");
  static PlanFlags flags;
  AddSourceOptions(*cmd, flags.source);
  AddSecretOptions(*cmd, flags.secrets);
  cmd->add_flag("--json", flags.json, "Print the plan as JSON (see stowage-plan(5))");
  cmd->add_option("--format", flags.format,
                  "text (default), json, or markdown: GitHub-flavoured, for a pull-request "
                  "comment, split into parts under 65,536 characters")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->type_name("FORMAT");
  cmd->add_option("--out-dir", flags.out_dir,
                  "With --format markdown: write the parts to DIR/plan-1.md, plan-2.md, ... "
                  "and print their paths")
      ->type_name("DIR");
  cmd->add_option("--out", flags.out, "Also write the JSON plan to FILE, for `apply FILE`")
      ->type_name("FILE");
  AddRepeatableOption(*cmd, "--target", flags.targets, "Plan only this service (repeatable)")
      ->type_name("SERVICE");
  cmd->add_flag("--detailed-exitcode", flags.detailed_exitcode,
                "Exit 0 when nothing changes, 2 when something does, 1 on error");
  cmd->add_flag("--prune", flags.prune, "Remove tasks of services no longer in the source");
  cmd->add_flag("--allow-mass-delete", flags.allow_mass_delete,
                "Allow a plan that stops more than half of all running tasks");
  cmd->add_flag("--no-balancers", flags.no_balancers,
                "Do not ask the load balancers: target changes are the plan's own starts and "
                "stops");
  AddUnreachableGraceOption(*cmd, flags.unreachable_grace);
  cmd->callback([&ctx] { ctx.exit_code = RunPlan(flags); });
}

}  // namespace stowage::cli
