// ValidateSource: a source, loaded, checked and ready to plan, or the reasons why not.
//
// pipeline::Load (pipeline/load.h) calls it for every command that reads
// desired state and for the watcher: LoadSource (parse, schema, decode), then
// the semantic checks of check/checks.h. The
// DesiredState is present only when there is no error at all: one broken
// document makes the whole source invalid, so a bad commit can never make
// stowage stop services it no longer sees.
#pragma once

#include <optional>
#include <string>

#include "diag/diagnostic.h"
#include "load/load_source.h"
#include "model/desired_state.h"
#include "policy/policy.h"
#include "source/source.h"

namespace stowage::check {

struct ValidatedSource {
  // Sorted by file, line, column.
  Diagnostics diagnostics;
  // Documents recognised per kind, and hosts listed (also when invalid).
  int task_definitions = 0;
  int services = 0;
  int hosts = 0;
  // Present only without errors; every TaskDefinition::revision is filled.
  std::optional<model::DesiredState> state;
  // The source's only cluster document, when exactly one decoded, also when
  // other documents have errors: enough to look at what runs (`status`).
  std::optional<model::Cluster> cluster;

  bool ok() const { return state.has_value(); }
};

// `policy`: what the operator allows (the default: baseline); a violation is
// an error like any other. `cache`: LoadSource through it
// (load/load_source.h), or none.
ValidatedSource ValidateSource(Source& source, const policy::Policy& policy = policy::Policy{},
                               load::LoadCache* cache = nullptr);

// "3 task definitions, 4 services, 3 hosts: 0 errors, 2 warnings".
std::string Summary(const ValidatedSource& v);

}  // namespace stowage::check
