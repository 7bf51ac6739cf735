// Schema checks: one document against the JSON Schema of its kind.
//
// The schemas in schema/ (embedded at build time) are the single source of
// truth for field names and types. A check runs in two steps:
//  1. a walk of the document alongside its schema, which reports unknown
//     fields (errors, with a did-you-mean suggestion), fields marked
//     `"x-stowage": {"ignored": "<reason>"}` (one warning each, then left
//     out), and applies the ECS spelling rules: a numeric string where the
//     schema wants a number counts as that number ("256"), and a number or
//     boolean where it wants a string counts as its text (YAML `value: 8080`);
//  2. valijson (draft-07), compiled once per kind, validates the result. Its
//     errors are mapped back to the offending value's position and worded
//     from the schema: `desiredCount: expected an integer ≥ 0, got "three"`.
#pragma once

#include "diag/diagnostic.h"
#include "load/value.h"

namespace stowage::load {

enum class DocumentKind { kTaskDefinition, kService, kCluster };

// "task definition", "service", "cluster".
const char* DocumentKindName(DocumentKind kind);

// Reports problems of `doc` to `diags`; true when it found no error.
// Thread-safe: schemas are compiled once, each thread has its own validator.
bool CheckSchema(DocumentKind kind, const Value& doc, Diagnostics& diags);

}  // namespace stowage::load
