// Source options shared by every command that reads desired state.
//
// AddSourceOptions puts `[SOURCE]` (a directory, default ".") and
// `--repo/--ref/--path/--cache-dir/--ssh-key/--var-file/--template-env` on a
// CLI11 subcommand; OpenSource turns the parsed values into a Source: a
// directory, or a git repository mirrored under the cache and pinned to the
// ref's commit, carrying the values for its templates.
//
//   static SourceOptions src;
//   AddSourceOptions(*cmd, src);
//   cmd->callback([&] { auto source = OpenSource(src); ... });
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "plan/plan.h"
#include "policy/policy.h"
#include "runtime/ssh/ssh_connection.h"
#include "source/source.h"

namespace stowage::cli {

struct SourceOptions {
  std::string dir = ".";  // positional SOURCE
  std::string repo;       // --repo URL: read from git instead of a directory
  std::string ref;        // --ref: branch, tag or commit (default: the remote's default branch)
  std::string path;       // --path: folder inside the repository (or the directory)
  std::string cache_dir;  // --cache-dir: where the git mirror lives
  std::string ssh_key;    // --ssh-key: private key file for ssh:// and user@host:path
  int ssh_persist = 60;   // --ssh-persist: seconds an idle ssh:// master outlives the command
  std::string policy;     // --policy FILE: the operator's policy (stowage-policy(5))
  std::string var_file;   // --var-file FILE: values for the documents' templates
  std::vector<std::string> template_env;  // --template-env NAME|PREFIX*: env names allowed
  bool IsGit() const { return !repo.empty(); }
};

void AddSourceOptions(CLI::App& cmd, SourceOptions& options);

// What to put before a document's path (relative to the source) so that the
// user recognises it: the SOURCE directory as given (joined with --path), or
// --path inside a git repository. "" for the current directory.
std::string DisplayPrefix(const SourceOptions& options);

// What a saved plan records about the source: the directory made absolute
// (so the plan can be applied from anywhere), or repository, ref and path,
// with the digests of the template values the documents used.
plan::PlanSource ToPlanSource(const SourceOptions& options,
                              std::map<std::string, std::string> template_values = {});

// The options that reopen a plan's recorded source; --cache-dir, --ssh-key,
// --policy, --var-file and --template-env are taken from `local` (they belong
// to this machine).
SourceOptions FromPlanSource(const plan::PlanSource& source, const SourceOptions& local);

// The policy --policy names, else $STOWAGE_POLICY, else /etc/stowage/policy.yaml
// when it exists, else the default (baseline).
Result<policy::Policy> OpenPolicy(const SourceOptions& options);

// The operator's ssh options for ssh:// engines and balancers (--ssh-key, --ssh-persist).
runtime::ssh::SshClientOptions SshOptions(const SourceOptions& options);

// Opens (for git: fetches) the source the options name.
Result<std::unique_ptr<Source>> OpenSource(const SourceOptions& options);

}  // namespace stowage::cli
