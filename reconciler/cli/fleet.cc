#include "cli/fleet.h"

#include <unistd.h>

#include <iostream>

#include "pipeline/converge.h"
#include "pipeline/load.h"
#include "render/diagnostics.h"
#include "render/plan_text.h"
#include "runtime/docker/docker_runtime.h"

namespace stowage::cli {

Result<check::ValidatedSource> LoadChecked(const SourceOptions& options,
                                           const secrets::Providers* providers,
                                           secrets::ResolvedSecrets* resolved) {
  auto source = OpenSource(options);
  if (!source.ok()) return source.status();
  auto policy = OpenPolicy(options);
  if (!policy.ok()) return policy.status();
  check::ValidatedSource validated = pipeline::Load(**source, *policy);
  if (validated.ok() && providers != nullptr) {
    // After validation: resolving recomputes the revisions of task definitions with secrets.
    secrets::ResolvedSecrets values = pipeline::ResolveSecrets(*validated.state, source->get(),
                                                               *providers, validated.diagnostics);
    validated.diagnostics.Sort();
    if (validated.diagnostics.HasErrors()) validated.state.reset();
    if (resolved != nullptr) *resolved = std::move(values);
  }
  render::DiagnosticsStyle style{DisplayPrefix(options), render::ColorWanted(STDERR_FILENO)};
  std::cerr << render::DiagnosticsText(validated.diagnostics, style);
  return validated;
}

Result<model::DesiredState> DesiredOf(check::ValidatedSource validated) {
  if (!validated.ok()) return Status::Invalid("the source has errors; nothing was done");
  return std::move(*validated.state);
}

Result<model::DesiredState> LoadDesired(const SourceOptions& options) {
  auto validated = LoadChecked(options);
  if (!validated.ok()) return validated.status();
  return DesiredOf(std::move(*validated));
}

Result<Resolved> LoadResolved(const SourceOptions& options, const secrets::Providers* providers) {
  Resolved out;
  auto validated = LoadChecked(options, providers, &out.secrets);
  if (!validated.ok()) return validated.status();
  auto desired = DesiredOf(std::move(*validated));
  if (!desired.ok()) return desired.status();
  out.state = std::move(*desired);
  return out;
}

Result<ToLookAt> LoadToLookAt(const SourceOptions& options, const secrets::Providers* providers) {
  auto loaded = LoadChecked(options, providers);
  if (!loaded.ok()) return loaded.status();
  ToLookAt out;
  if (loaded->ok()) {
    out.desired = std::move(*loaded->state);
  } else if (loaded->cluster) {
    out.desired.cluster = std::move(*loaded->cluster);
    out.invalid_errors = loaded->diagnostics.errors();
  } else {
    return Status::Invalid("the source has errors and no usable cluster document; nothing to show");
  }
  return out;
}

int PrintError(const Status& status) {
  std::cerr << "error: " << status.message() << "\n";
  return 1;
}

std::unique_ptr<runtime::RuntimeFactory> MakeRuntimeFactory(const SourceOptions& source,
                                                            const std::string& pull) {
  runtime::docker::DockerOptions options;
  options.ssh = SshOptions(source);
  options.pull =
      runtime::docker::ParsePullPolicy(pull).value_or(runtime::docker::PullPolicy::kMissing);
  return std::make_unique<runtime::docker::DockerRuntimeFactory>(options);
}

apply::LockOptions CliLockOptions(std::chrono::seconds timeout) {
  apply::LockOptions options;
  options.timeout = timeout;
  options.on_wait = [](const std::string& message) { std::cerr << message << "; waiting\n"; };
  return options;
}

Result<std::unique_ptr<apply::ClusterLock>> LockCluster(const model::DesiredState& desired,
                                                        runtime::RuntimeFactory& factory,
                                                        std::chrono::seconds timeout) {
  return pipeline::Lock(desired, factory, CliLockOptions(timeout));
}

}  // namespace stowage::cli
