#include "cli/fleet.h"

#include <unistd.h>

#include <iostream>

#include "check/validate_source.h"
#include "cli/secret_options.h"
#include "render/diagnostics.h"
#include "render/plan_text.h"
#include "runtime/docker/docker_runtime.h"

namespace stowage::cli {

Result<Resolved> LoadResolved(const SourceOptions& options, const secrets::Providers* providers,
                              Diagnostics* diagnostics) {
  auto source = OpenSource(options);
  if (!source.ok()) return source.status();
  auto policy = OpenPolicy(options);
  if (!policy.ok()) return policy.status();
  auto validated = check::ValidateSource(**source, *policy);
  Resolved out;
  // After validation: resolving recomputes the revisions of task definitions with secrets.
  if (validated.ok() && providers != nullptr) {
    out.secrets = ResolveDesired(*validated.state, **source, *providers, validated.diagnostics);
    validated.diagnostics.Sort();
  }
  if (diagnostics != nullptr) *diagnostics = validated.diagnostics;
  render::DiagnosticsStyle style{DisplayPrefix(options), render::ColorWanted(STDERR_FILENO)};
  std::cerr << render::DiagnosticsText(validated.diagnostics, style);
  if (!validated.ok() || validated.diagnostics.HasErrors()) {
    return Status::Invalid("the source has errors; nothing was done");
  }
  out.state = std::move(*validated.state);
  return out;
}

Result<model::DesiredState> LoadDesired(const SourceOptions& options, Diagnostics* diagnostics) {
  auto loaded = LoadResolved(options, nullptr, diagnostics);
  if (!loaded.ok()) return loaded.status();
  return std::move(loaded->state);
}

int PrintError(const Status& status) {
  std::cerr << "error: " << status.message() << "\n";
  return 1;
}

std::unique_ptr<runtime::RuntimeFactory> MakeRuntimeFactory(const SourceOptions& source,
                                                            const std::string& pull) {
  runtime::docker::DockerOptions options;
  options.ssh.identity_file = source.ssh_key;
  options.ssh.persist = std::chrono::seconds(source.ssh_persist);
  options.pull =
      runtime::docker::ParsePullPolicy(pull).value_or(runtime::docker::PullPolicy::kMissing);
  return std::make_unique<runtime::docker::DockerRuntimeFactory>(options);
}

Result<std::unique_ptr<apply::ClusterLock>> LockCluster(const model::DesiredState& desired,
                                                        runtime::RuntimeFactory& factory,
                                                        std::chrono::seconds timeout) {
  apply::LockOptions options;
  options.timeout = timeout;
  options.on_wait = [](const std::string& message) { std::cerr << message << "; waiting\n"; };
  return apply::ClusterLock::Acquire(desired.cluster, factory, options);
}

}  // namespace stowage::cli
