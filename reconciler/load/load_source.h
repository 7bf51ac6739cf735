// LoadSource: the pipeline from a Source to a decoded DesiredState.
//
// Lists and reads every document of the source, parses the files in parallel
// (JSON or YAML, with positions), recognises each document's kind, checks it
// against its schema and decodes it into the model. Every problem becomes a
// Diagnostic; the result carries all of them, sorted by file and position.
// `state` is complete and usable only when there is no error: a broken
// document never yields a partial state (each task definition's revision hash
// is set as it decodes). Cross-document checks (references, duplicates,
// limits) are added by check::ValidateSource on top of this.
#pragma once

#include <vector>

#include "diag/diagnostic.h"
#include "model/desired_state.h"
#include "source/document_cache.h"
#include "source/source.h"

namespace stowage::load {

struct LoadedSource {
  Diagnostics diagnostics;
  // Documents recognised per kind (also when they had errors), and hosts listed.
  int task_definitions = 0;
  int services = 0;
  int clusters = 0;
  int hosts = 0;
  // Every cluster document decoded (exactly one is valid; the checks say so).
  std::vector<model::Cluster> all_clusters;
  // Task definitions sorted by family, services by name, cluster = the first
  // cluster document; source_revision set.
  model::DesiredState state;

  bool ok() const { return !diagnostics.HasErrors(); }
};

// A document's templates are filled first with the source's template values
// (load/template.h, source/template_values.h).
LoadedSource LoadSource(Source& source);

// One file's text through the same per-file pipeline (parse, kind, schema,
// decode), added to `out` (counts, decoded documents, diagnostics). For tests
// and the fuzzer; `local_root` is the directory tls paths resolve against,
// `values` fill the file's templates (load/template.h).
void LoadFileText(const std::string& path, const std::string& text, const std::string& local_root,
                  LoadedSource& out, const TemplateValues& values = TemplateValues());

// What one file contributes (decoded documents and diagnostics); internal.
struct FileResult;
// Files kept by content id (git blob id, or a hash of the bytes) between
// loads, so an unchanged file is neither read nor parsed again (`stowage watch`).
using LoadCache = DocumentCache<FileResult>;
// LoadSource through `cache`: hits are reused, misses parsed and added, and
// files no longer in the source dropped.
LoadedSource LoadSource(Source& source, LoadCache& cache);

}  // namespace stowage::load
