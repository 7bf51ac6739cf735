#include "load/load_source.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>

#include "load/classify.h"
#include "load/decode.h"
#include "load/parse.h"
#include "load/schema_check.h"

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

FileResult ProcessFile(const std::string& path, const std::string& text,
                       const std::string& local_root) {
  FileResult r;
  ParsedFile parsed = ParseFile(path, text, r.diags);
  const std::string base_dir =
      (std::filesystem::path(local_root) / std::filesystem::path(path).parent_path())
          .generic_string();
  for (auto& doc : parsed.documents) {
    auto classified = Classify(std::move(doc), r.diags);
    if (!classified) continue;
    Count(*classified, r);
    if (!CheckSchema(classified->kind, classified->body, r.diags)) continue;
    DecodeDocument(*classified, base_dir, r);
  }
  return r;
}

// Runs ProcessFile over all files on up to `threads` threads; results keep file order.
std::vector<FileResult> ProcessAll(const std::vector<std::string>& paths,
                                   const std::vector<std::optional<std::string>>& texts,
                                   const std::string& local_root) {
  std::vector<FileResult> results(paths.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < paths.size(); i = next++) {
      if (texts[i]) results[i] = ProcessFile(paths[i], *texts[i], local_root);
    }
  };
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const size_t threads = std::min<size_t>({hw, 4, (paths.size() + 15) / 16});
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return results;
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
  }
  std::stable_sort(out.state.task_definitions.begin(), out.state.task_definitions.end(),
                   [](const auto& a, const auto& b) { return a.family < b.family; });
  std::stable_sort(out.state.services.begin(), out.state.services.end(),
                   [](const auto& a, const auto& b) { return a.name < b.name; });
  if (!out.all_clusters.empty()) out.state.cluster = out.all_clusters.front();
}

}  // namespace

void LoadFileText(const std::string& path, const std::string& text, const std::string& local_root,
                  LoadedSource& out) {
  std::vector<FileResult> results;
  results.push_back(ProcessFile(path, text, local_root));
  Merge(results, out);
}

namespace {

// Reads every file (or, with a cache, every file not already in it), processes
// what was read, and merges the results in file order.
LoadedSource LoadThrough(Source& source, LoadCache* cache) {
  LoadedSource out;
  auto files = source.List();
  if (!files.ok()) {
    out.diagnostics.Error(Position{}, files.status().message());
    return out;
  }
  std::vector<std::optional<std::string>> texts(files->size());
  std::vector<std::string> ids(files->size());
  std::vector<std::shared_ptr<const FileResult>> hits(files->size());
  for (size_t i = 0; i < files->size(); ++i) {
    const std::string& path = (*files)[i];
    if (cache != nullptr) {
      auto id = source.ContentId(path);
      if (id.ok()) ids[i] = *id;
      if (id.ok() && (hits[i] = cache->Find(path, *id))) continue;
    }
    auto text = source.Read(path);
    if (!text.ok()) {
      out.diagnostics.Error(Position{path, 0, 0}, text.status().message());
      continue;
    }
    texts[i] = std::move(*text);
  }
  auto results = ProcessAll(*files, texts, source.LocalRoot());
  if (cache != nullptr) {
    for (size_t i = 0; i < files->size(); ++i) {
      if (hits[i]) {
        results[i] = *hits[i];
      } else if (texts[i] && !ids[i].empty()) {
        cache->Put((*files)[i], ids[i], std::make_shared<const FileResult>(results[i]));
      }
    }
    cache->Sweep();
  }
  Merge(results, out);
  auto revision = source.Revision();
  if (revision.ok()) {
    out.state.source_revision = *revision;
  } else {
    out.diagnostics.Error(Position{}, revision.status().message());
  }
  out.diagnostics.Sort();
  return out;
}

}  // namespace

LoadedSource LoadSource(Source& source) { return LoadThrough(source, nullptr); }

LoadedSource LoadSource(Source& source, LoadCache& cache) { return LoadThrough(source, &cache); }

}  // namespace stowage::load
