// `stowage validate [SOURCE]`: load and check every document of a source.
#include <unistd.h>

#include <iostream>

#include "check/validate_source.h"
#include "cli/command.h"
#include "cli/fleet.h"
#include "cli/secret_options.h"
#include "cli/source_options.h"
#include "pipeline/load.h"
#include "render/diagnostics.h"
#include "render/plan_text.h"

namespace stowage::cli {
namespace {

struct ValidateOptions {
  SourceOptions source;
  secrets::Providers secrets;
  bool json = false;
};

int RunValidate(const ValidateOptions& options) {
  auto source = OpenSource(options.source);
  if (!source.ok()) return PrintError(source.status());
  auto policy = OpenPolicy(options.source);
  if (!policy.ok()) return PrintError(policy.status());
  check::ValidatedSource validated = pipeline::Load(**source, *policy);
  // After validation: resolving recomputes the revisions of task definitions with secrets.
  if (validated.ok() && options.secrets.any()) {
    pipeline::ResolveSecrets(*validated.state, source->get(), options.secrets,
                             validated.diagnostics);
    validated.diagnostics.Sort();
  }
  const std::string prefix = DisplayPrefix(options.source);
  if (options.json) {
    std::cout << render::DiagnosticsJson(validated.diagnostics, prefix);
    std::cerr << check::Summary(validated) << "\n";
  } else {
    render::DiagnosticsStyle style{prefix, render::ColorWanted(STDOUT_FILENO)};
    std::cout << render::DiagnosticsText(validated.diagnostics, style) << check::Summary(validated)
              << "\n";
  }
  return validated.diagnostics.HasErrors() ? 1 : 0;
}

}  // namespace

void AddValidateCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd =
      app.add_subcommand("validate", "Check every document of a source and report problems");
  cmd->footer(
      "Loads every *.json, *.yaml and *.yml below SOURCE (hidden folders skipped), checks\n"
      "each document against its schema, decodes it, then checks what spans documents\n"
      "(references, duplicate names, ECS limits, dependsOn, ports, placement, deployments,\n"
      "hosts). Contacts no engine. With secret providers (--secrets-dir, --secrets-env,\n"
      "--age-identity), also looks every secret up (values are never printed).\n"
      "\n"
      "Prints one line per problem, `file:line:col: error|warning: message`, then a summary:\n"
      "  3 task definitions, 4 services, 3 hosts: 0 errors, 2 warnings\n"
      "\n"
      "Exit status: 0 no errors (warnings allowed), 1 errors or an unreadable source.\n"
      "See stowage-validate(1) and stowage-files(5).");
  static ValidateOptions options;
  AddSourceOptions(*cmd, options.source);
  AddSecretOptions(*cmd, options.secrets);
  cmd->add_flag("--json", options.json,
                "Print the diagnostics as a JSON array of {file, line, column, severity, "
                "message} on stdout (the summary goes to stderr)");
  cmd->callback([&ctx] { ctx.exit_code = RunValidate(options); });
}

}  // namespace stowage::cli
