#include "cli/source_options.h"

#include <filesystem>

#include "cli/command.h"
#include "source/git/git_source.h"

namespace stowage::cli {

void AddSourceOptions(CLI::App& cmd, SourceOptions& options) {
  auto* dir = cmd.add_option("SOURCE", options.dir, "Source directory (default: .)");
  auto* repo = cmd.add_option("--repo", options.repo,
                              "Read the source from this git repository (file://, path, "
                              "https://, ssh://, user@host:path) instead of a directory; "
                              "an https token is read from $STOWAGE_GIT_TOKEN");
  repo->excludes(dir);
  cmd.add_option("--ref", options.ref,
                 "Branch, tag or commit id (default: the remote's default branch)")
      ->needs(repo);
  cmd.add_option("--path", options.path, "Folder inside the repository holding the documents");
  cmd.add_option("--cache-dir", options.cache_dir,
                 "Where the git mirror is kept (default: $XDG_CACHE_HOME/stowage, else "
                 "~/.cache/stowage)")
      ->needs(repo);
  cmd.add_option("--policy", options.policy,
                 "What the source may ask of the hosts (stowage-policy(5)); default: "
                 "$STOWAGE_POLICY, else /etc/stowage/policy.yaml when it exists, else level "
                 "baseline");
  cmd.add_option("--var-file", options.var_file,
                 "KEY=value lines filling the documents' {{ must_env `KEY` }} and "
                 "{{ env `KEY` `default` }} templates (ecspresso style; stowage-files(5))")
      ->type_name("FILE");
  AddRepeatableOption(cmd, "--template-env", options.template_env,
                      "Let templates read this environment variable (NAME, or PREFIX* for every "
                      "name starting with PREFIX; repeatable; never STOWAGE_*); other names "
                      "come only from --var-file")
      ->type_name("NAME");
  cmd.add_option("--ssh-key", options.ssh_key,
                 "Private key for ssh git remotes (default: $STOWAGE_GIT_SSH_KEY, else the "
                 "ssh-agent) and ssh:// engines (default: the agent and ~/.ssh/config)");
  cmd.add_option("--ssh-persist", options.ssh_persist,
                 "Seconds an idle ssh:// master connection stays up after the command, for "
                 "the next command to reuse (default 60; 0: it ends with the command)")
      ->check(CLI::Range(0, 86400));
}

std::string DisplayPrefix(const SourceOptions& options) {
  if (options.IsGit()) return options.path;
  if (options.path.empty()) return options.dir;
  return (std::filesystem::path(options.dir) / options.path).generic_string();
}

plan::PlanSource ToPlanSource(const SourceOptions& options,
                              std::map<std::string, std::string> template_values) {
  plan::PlanSource s;
  s.path = options.path;
  s.template_values = std::move(template_values);
  if (options.IsGit()) {
    s.repo = options.repo;
    s.ref = options.ref;
    std::error_code ec;  // a repository given as a local path works from anywhere too
    if (options.repo.find("://") == std::string::npos &&
        std::filesystem::is_directory(options.repo, ec)) {
      s.repo = std::filesystem::absolute(options.repo, ec).lexically_normal().generic_string();
    }
    return s;
  }
  std::error_code ec;
  auto dir = std::filesystem::absolute(options.dir, ec);
  s.dir = (ec ? std::filesystem::path(options.dir) : dir).lexically_normal().generic_string();
  if (s.dir.size() > 1 && s.dir.back() == '/') s.dir.pop_back();
  return s;
}

SourceOptions FromPlanSource(const plan::PlanSource& source, const SourceOptions& local) {
  SourceOptions o;
  o.dir = source.dir.empty() ? "." : source.dir;
  o.repo = source.repo;
  o.ref = source.ref;
  o.path = source.path;
  o.cache_dir = local.cache_dir;
  o.ssh_key = local.ssh_key;
  o.ssh_persist = local.ssh_persist;
  o.policy = local.policy;
  o.var_file = local.var_file;
  o.template_env = local.template_env;
  return o;
}

Result<policy::Policy> OpenPolicy(const SourceOptions& options) {
  return policy::ResolvePolicy(options.policy);
}

runtime::ssh::SshClientOptions SshOptions(const SourceOptions& options) {
  runtime::ssh::SshClientOptions ssh;
  ssh.identity_file = options.ssh_key;
  ssh.persist = std::chrono::seconds(options.ssh_persist);
  return ssh;
}

namespace {

Result<std::unique_ptr<Source>> OpenPlainSource(const SourceOptions& options) {
  if (!options.IsGit()) {
    if (options.path.empty()) return NewDirectorySource(options.dir);
    return NewDirectorySource((std::filesystem::path(options.dir) / options.path).string());
  }
  GitSourceOptions git;
  git.url = options.repo;
  git.ref = options.ref;
  git.path = options.path;
  git.cache_dir = options.cache_dir;
  git.ssh_key = options.ssh_key;
  return OpenGitSource(git);
}

}  // namespace

Result<std::unique_ptr<Source>> OpenSource(const SourceOptions& options) {
  auto values = MakeTemplateValues(options.var_file, options.template_env);
  if (!values.ok()) return values.status();
  auto source = OpenPlainSource(options);
  if (source.ok()) {
    (*source)->SetTemplateValues(std::make_shared<const TemplateValues>(std::move(*values)));
  }
  return source;
}

}  // namespace stowage::cli
