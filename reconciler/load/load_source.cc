#include "load/load_source.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>

#include "load/classify.h"
#include "load/decode.h"
#include "load/parse.h"
#include "load/referenced_files.h"
#include "load/schema_check.h"
#include "load/template.h"
#include "load/tls_files.h"

namespace stowage::load {

// What one file contributes; files are processed independently, then merged in order.
struct FileResult {
  Diagnostics diags;
  std::vector<model::TaskDefinition> task_definitions;
  std::vector<model::Service> services;
  std::vector<model::Cluster> clusters;
  int task_definition_docs = 0;
  int service_docs = 0;
  int cluster_docs = 0;
  int hosts = 0;
  std::map<std::string, std::string> template_values;  // ExpandedText::used
};

namespace {

void DecodeDocument(const Classified& doc, const std::string& base_dir, FileResult& r) {
  switch (doc.kind) {
    case DocumentKind::kTaskDefinition: {
      model::TaskDefinition td;
      if (DecodeTaskDefinition(doc.body, td, r.diags)) r.task_definitions.push_back(std::move(td));
      break;
    }
    case DocumentKind::kService: {
      model::Service s;
      if (DecodeService(doc.body, s, r.diags)) r.services.push_back(std::move(s));
      break;
    }
    case DocumentKind::kCluster: {
      model::Cluster c;
      if (DecodeCluster(doc.body, base_dir, c, r.diags)) r.clusters.push_back(std::move(c));
      break;
    }
  }
}

void Count(const Classified& doc, FileResult& r) {
  switch (doc.kind) {
    case DocumentKind::kTaskDefinition:
      ++r.task_definition_docs;
      break;
    case DocumentKind::kService:
      ++r.service_docs;
      break;
    case DocumentKind::kCluster:
      ++r.cluster_docs;
      if (const Value* hosts = doc.body.Find("hosts"); hosts && hosts->IsArray()) {
        r.hosts += static_cast<int>(hosts->items.size());
      }
      break;
  }
}

// Parses `text`, its templates filled first (load/template.h) when it has any:
// the positions of what was parsed are then mapped back to the written text.
ParsedFile ParseTemplated(const std::string& path, const std::string& text,
                          const TemplateValues& values, FileResult& r) {
  Diagnostics& diags = r.diags;
  if (!HasTemplates(text)) return ParseFile(path, text, diags);
  const bool json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  std::optional<ExpandedText> expanded = ExpandTemplates(
      text, path, json ? ColumnUnit::kCharacters : ColumnUnit::kBytes, values, diags);
  if (!expanded) return ParsedFile{std::make_unique<const std::string>(path), {}};
  r.template_values = std::move(expanded->used);
  Diagnostics parse_diags;
  ParsedFile parsed = ParseFile(path, expanded->text, parse_diags);
  diags.Append(RestorePositions(expanded->edits, parse_diags));
  for (auto& doc : parsed.documents) RestorePositions(expanded->edits, doc);
  return parsed;
}

FileResult ProcessFile(const std::string& path, const std::string& text,
                       const std::string& local_root, const TemplateValues& values) {
  FileResult r;
  ParsedFile parsed = ParseTemplated(path, text, values, r);
  const std::string base_dir =
      (std::filesystem::path(local_root) / std::filesystem::path(path).parent_path())
          .generic_string();
  for (auto& parsed_doc : parsed.documents) {
    for (auto& doc : SplitServiceOutput(std::move(parsed_doc), r.diags)) {
      auto classified = Classify(std::move(doc), r.diags);
      if (!classified) continue;
      Count(*classified, r);
      if (!CheckSchema(classified->kind, classified->body, r.diags)) continue;
      DecodeDocument(*classified, base_dir, r);
    }
  }
  return r;
}

// Runs `work(i)` for every file index on up to 4 threads (at least 16 files each).
template <typename Work>
void ForEachFile(size_t files, Work work) {
  std::atomic<size_t> next{0};
  auto loop = [&] {
    for (size_t i = next++; i < files; i = next++) work(i);
  };
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const size_t threads = std::min<size_t>({hw, 4, (files + 15) / 16});
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(loop);
  loop();
  for (auto& t : pool) t.join();
}

void Merge(std::vector<FileResult>& results, LoadedSource& out) {
  for (auto& r : results) {
    out.diagnostics.Append(r.diags);
    out.task_definitions += r.task_definition_docs;
    out.services += r.service_docs;
    out.clusters += r.cluster_docs;
    out.hosts += r.hosts;
    for (auto& td : r.task_definitions) out.state.task_definitions.push_back(std::move(td));
    for (auto& s : r.services) out.state.services.push_back(std::move(s));
    for (auto& c : r.clusters) out.all_clusters.push_back(std::move(c));
    out.state.template_values.insert(r.template_values.begin(), r.template_values.end());
  }
  std::stable_sort(out.state.task_definitions.begin(), out.state.task_definitions.end(),
                   [](const auto& a, const auto& b) { return a.family < b.family; });
  std::stable_sort(out.state.services.begin(), out.state.services.end(),
                   [](const auto& a, const auto& b) { return a.name < b.name; });
  if (!out.all_clusters.empty()) out.state.cluster = out.all_clusters.front();
}

}  // namespace

void LoadFileText(const std::string& path, const std::string& text, const std::string& local_root,
                  LoadedSource& out, const TemplateValues& values) {
  std::vector<FileResult> results;
  results.push_back(ProcessFile(path, text, local_root, values));
  Merge(results, out);
}

namespace {

// Reads every file (or, with a cache, every file not already in it), processes
// what was read, and merges the results in file order. Files are read on the
// worker threads when the source allows it, and each text is dropped as soon as
// it is processed. The revision comes from the content ids of what was read
// (Source::RevisionOf), so a directory is not read twice.
LoadedSource LoadThrough(Source& source, LoadCache* cache) {
  LoadedSource out;
  auto files = source.List();
  if (!files.ok()) {
    out.diagnostics.Error(Position{}, files.status().message());
    return out;
  }
  out.diagnostics.Append(source.ListDiagnostics());
  const size_t n = files->size();
  std::vector<FileResult> results(n);
  std::vector<std::shared_ptr<const FileResult>> hits(n);
  std::vector<std::string> cache_ids(n);    // Source::ContentId, with a cache
  std::vector<std::string> content_ids(n);  // ContentIdOf(text); empty when not read
  std::vector<std::optional<std::string>> texts(n);
  std::atomic<bool> read_failed{false};  // then there is no revision to name
  // Cache lookup and read; false when the file needs no processing.
  auto fetch = [&](size_t i) {
    const std::string& path = (*files)[i];
    if (cache != nullptr) {
      auto id = source.ContentId(path);
      if (id.ok()) cache_ids[i] = *id;
      if (id.ok() && (hits[i] = cache->Find(path, *id))) return false;
    }
    auto text = source.Read(path);
    if (!text.ok()) {
      results[i].diags.Error(Position{path, 0, 0}, text.status().message());
      read_failed = true;
      return false;
    }
    content_ids[i] = ContentIdOf(*text);
    texts[i] = std::move(*text);
    return true;
  };
  const bool concurrent = source.ConcurrentReads();
  std::vector<std::uint8_t> fetched(n, 0);
  if (!concurrent) {
    for (size_t i = 0; i < n; ++i) fetched[i] = fetch(i) ? 1 : 0;
  }
  ForEachFile(n, [&](size_t i) {
    if (concurrent ? !fetch(i) : fetched[i] == 0) return;
    // tls paths stay relative to the source root: ReadTlsFiles reads them through it.
    results[i] = ProcessFile((*files)[i], *texts[i], "", source.template_values());
    texts[i].reset();
  });
  if (cache != nullptr) {
    for (size_t i = 0; i < n; ++i) {
      if (hits[i]) {
        results[i] = *hits[i];
      } else if (!content_ids[i].empty() && !cache_ids[i].empty()) {
        cache->Put((*files)[i], cache_ids[i], std::make_shared<const FileResult>(results[i]));
      }
    }
    cache->Sweep();
  }
  Merge(results, out);
  for (auto& cluster : out.all_clusters) ReadTlsFiles(source, cluster, out.diagnostics);
  if (!out.all_clusters.empty()) out.state.cluster = out.all_clusters.front();
  // Every file read: the revision of exactly what was loaded, without reading again.
  const bool all_read = std::none_of(content_ids.begin(), content_ids.end(),
                                     [](const std::string& id) { return id.empty(); });
  // A file that could not be read is reported at its path: the source is
  // invalid, and reading it all again for a revision would only repeat that.
  if (!read_failed) {
    source.SetReferencedFiles(ReferencedFiles(out.all_clusters, out.state.task_definitions));
    Result<std::string> revision =
        all_read ? source.RevisionOf(*files, content_ids) : source.Revision();
    if (revision.ok()) {
      out.state.source_revision = *revision;
      RevisionDetails details = source.Details();
      out.state.source_git = details.git;
      out.state.source_author = std::move(details.author);
      out.state.source_subject = std::move(details.subject);
    } else {
      out.diagnostics.Error(Position{}, revision.status().message());
    }
  }
  out.diagnostics.Sort();
  return out;
}

}  // namespace

LoadedSource LoadSource(Source& source) { return LoadThrough(source, nullptr); }

LoadedSource LoadSource(Source& source, LoadCache& cache) { return LoadThrough(source, &cache); }

}  // namespace stowage::load
