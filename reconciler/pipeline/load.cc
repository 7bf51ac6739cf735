#include "pipeline/load.h"

namespace stowage::pipeline {

check::ValidatedSource Load(Source& source, const policy::Policy& policy, load::LoadCache* cache) {
  return check::ValidateSource(source, policy, cache);
}

secrets::ResolvedSecrets ResolveSecrets(model::DesiredState& desired, Source* source,
                                        const secrets::Providers& providers, Diagnostics& diags) {
  if (Status s = secrets::CheckProviders(providers); !s.ok()) {
    diags.Error(Position{}, s.message());
    return {};
  }
  auto store = secrets::NewProviderStore(providers, source);
  return secrets::ResolveSecrets(desired, *store, diags);
}

std::string FirstErrors(const Diagnostics& diagnostics, int limit) {
  std::string out;
  int shown = 0;
  for (const auto& d : diagnostics.items()) {
    if (d.severity != Severity::kError) continue;
    if (shown == limit) {
      out += "; and " + std::to_string(diagnostics.errors() - shown) + " more";
      break;
    }
    out += (shown++ == 0 ? "" : "; ") + FormatDiagnostic(d);
  }
  return out;
}

}  // namespace stowage::pipeline
