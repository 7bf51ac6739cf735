// Classify: which kind of document a parsed Value is.
//
// Kinds are recognised by shape so real ECS files work unchanged: `family` +
// `containerDefinitions` is a task definition, `serviceName` + `taskDefinition`
// a service; an explicit `kind:` (TaskDefinition, Service, Cluster) wins. The
// `describe-task-definition` output, `{"taskDefinition": {...}, "tags": [...]}`,
// is unwrapped into the plain task definition; `describe-services` output,
// `{"services": [...], "failures": [...]}`, and the create-service /
// update-service response, `{"service": {...}}`, are split into their services
// first (SplitServiceOutput). Object members whose value is null are dropped
// first: null means absent, as in console exports.
#pragma once

#include <optional>
#include <vector>

#include "diag/diagnostic.h"
#include "load/schema_check.h"
#include "load/value.h"

namespace stowage::load {

struct Classified {
  DocumentKind kind;
  // The document to check and decode: `doc` itself, or the unwrapped describe output.
  Value body;
};

// The services of a describe-services output or a create/update-service
// response, in order; any other document alone. Non-empty `failures` are a
// warning (services the describe call did not find).
std::vector<Value> SplitServiceOutput(Value doc, Diagnostics& diags);

// Reports why when the kind cannot be told (or `kind:` is not a known kind).
std::optional<Classified> Classify(Value doc, Diagnostics& diags);

}  // namespace stowage::load
