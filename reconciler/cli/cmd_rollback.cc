// `stowage rollback [--to REVISION] [--repo URL ...]`: re-deploy an earlier
// revision of a git source that the deploy history recorded.
#include <iostream>

#include "cli/command.h"
#include "cli/fleet.h"
#include "history/store.h"

namespace stowage::cli {
namespace {

// The full commit id of the revision to go back to: the newest recorded
// revision starting with `to`, or (no --to) the newest that converged and is
// not the head.
Result<std::string> Target(const std::vector<history::Record>& records, const std::string& head,
                           const std::string& to, const std::string& cluster) {
  for (const auto& r : records) {
    if (!r.git) continue;
    if (to.empty()) {
      if (r.revision == head) continue;
      if (r.outcome == history::Outcome::kConverged || r.outcome == history::Outcome::kBlocked) {
        return r.revision;
      }
    } else if (to.size() >= 4 && r.revision.rfind(to, 0) == 0) {
      return r.revision;
    }
  }
  if (to.empty()) {
    return Status::NotFound("no earlier revision of cluster " + cluster +
                            " converged in the deploy history (see stowage history)");
  }
  return Status::NotFound("revision " + to + " is not in the deploy history of cluster " + cluster +
                          " (see stowage history)");
}

}  // namespace

void AddRollbackCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "rollback",
      "Re-deploy the last good (or --to) revision of a git source recorded in the deploy history");
  static SourceOptions source_options;
  static ApplyFlags f;
  static std::string to;
  AddSourceOptions(*cmd, source_options);
  cmd->add_option("--to", to,
                  "The recorded revision to go back to (a commit id or a prefix of at least 4 "
                  "characters; default: the newest that converged, other than the source's "
                  "newest commit)")
      ->type_name("REVISION");
  AddApplyFlags(*cmd, f);
  cmd->callback([&ctx] {
    if (!source_options.IsGit()) {
      ctx.exit_code = PrintError(Status::Invalid(
          "rollback needs a git source (--repo URL): a directory has no earlier revisions"));
      return;
    }
    auto head = LoadDesired(source_options);
    if (!head.ok()) {
      ctx.exit_code = PrintError(head.status());
      return;
    }
    auto factory = MakeRuntimeFactory(source_options);
    auto h = history::ReadHistory(head->cluster, *factory);
    if (!h.ok()) {
      ctx.exit_code = PrintError(h.status());
      return;
    }
    auto target = Target(h->records, head->source_revision, to, head->cluster.name);
    if (!target.ok()) {
      ctx.exit_code = PrintError(target.status());
      return;
    }
    SourceOptions at = source_options;
    at.ref = *target;
    std::cerr << "Rolling back cluster " << head->cluster.name << " from "
              << head->source_revision.substr(0, 12) << " to " << target->substr(0, 12) << "\n";
    ctx.exit_code = RunApply(at, "", "", f, {"rollback", head->source_revision});
  });
}

}  // namespace stowage::cli
