#include "cli/fleet.h"

#include <iostream>

#include "load/load_source.h"
#include "runtime/docker/docker_runtime.h"

namespace stowage::cli {

Result<model::DesiredState> LoadDesired(const SourceOptions& options) {
  auto source = OpenSource(options);
  if (!source.ok()) return source.status();
  auto loaded = load::LoadSource(**source);
  for (const auto& d : loaded.diagnostics.items()) std::cerr << FormatDiagnostic(d) << "\n";
  if (!loaded.ok()) return Status::Invalid("the source has errors; nothing was done");
  return std::move(loaded.state);
}

std::unique_ptr<runtime::RuntimeFactory> MakeRuntimeFactory() {
  return std::make_unique<runtime::docker::DockerRuntimeFactory>();
}

}  // namespace stowage::cli
