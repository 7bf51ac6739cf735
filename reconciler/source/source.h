// Source: where desired state comes from (a directory, later a git commit).
//
// A source lists its documents (every *.json, *.yaml, *.yml below its root,
// hidden folders skipped) in a deterministic order, reads one by its path, and
// names its revision (a commit id, or a content hash for a directory). The
// core sees only this interface; libgit2 lives behind it. A source is pinned
// to one revision between calls to Refresh(), which moves it to the newest
// (a git source fetches; a directory reads live and has nothing to do).
//
// No read ever leaves the root (source/confine.h): a symlink is followed only
// when it resolves inside, a file or folder that cannot be read is an error,
// and what is not a regular file is never opened. Problems found while
// listing are diagnostics at their path (ListDiagnostics); the loader adds
// them to the source's, so an error there means nothing is applied.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "diag/diagnostic.h"
#include "source/template_values.h"

namespace stowage {

// Who made the current revision and why: a commit's author and subject.
struct RevisionDetails {
  bool git = false;
  std::string author;   // "Name <mail>"
  std::string subject;  // the first line of the message
};

// The largest document a source reads, checked with stat before reading.
inline constexpr std::size_t kMaxDocumentBytes = 8u << 20;  // 8 MiB

class Source {
 public:
  virtual ~Source() = default;
  // Paths relative to the source root, '/'-separated, sorted bytewise.
  virtual Result<std::vector<std::string>> List() = 0;
  // What the last List() found besides documents: a symlink that leaves the
  // source, a folder that cannot be read (errors at that path), a FIFO,
  // device or socket skipped (warnings).
  virtual Diagnostics ListDiagnostics() const { return {}; }
  virtual Result<std::string> Read(const std::string& path) = 0;
  // Stable identifier of the content: same files, same revision.
  virtual Result<std::string> Revision() = 0;
  // The current revision's commit details; a directory has none.
  virtual RevisionDetails Details() const { return {}; }
  // Human description for messages ("directory examples/", "git file:///r@abc123").
  virtual std::string Describe() const = 0;
  // Names the content of one document: equal ids, equal bytes. A git source
  // answers with the blob id without reading the blob; the default reads the
  // file and hashes it. Used to key the parse cache (load/document_cache.h).
  virtual Result<std::string> ContentId(const std::string& path);
  // The same source pinned to an earlier `revision` (a commit id), without
  // fetching: what a watcher stays on after a rollback. A directory has no
  // earlier revisions (kNotFound).
  virtual Result<std::unique_ptr<Source>> AtRevision(const std::string& revision);
  // Brings the source to its newest revision (git: fetch and resolve the
  // ref again). Errors leave the source at the revision it had.
  virtual Status Refresh() { return Status::Ok(); }
  // The directory on disk that holds the documents, or "" when they are not
  // plain files (git). Relative paths inside documents (cluster tls files)
  // are resolved against it.
  virtual std::string LocalRoot() const { return ""; }
  // Whether Read() may be called from several threads at once.
  virtual bool ConcurrentReads() const { return false; }
  // Revision() for a caller that has just listed (`paths`) and read every
  // document, with ContentIdOf(text) of each in `content_ids`: a directory
  // derives its revision from these instead of reading everything again.
  virtual Result<std::string> RevisionOf(const std::vector<std::string>& paths,
                                         const std::vector<std::string>& content_ids) {
    (void)paths;
    (void)content_ids;
    return Revision();
  }

  // Files the documents name besides themselves (cluster TLS files, age:
  // secret files), relative to the root, as the loader found them at its last
  // load. A directory's revision covers their bytes from then on (a git
  // commit already does), so a watcher sees a changed key file and a plan
  // saved before the change is stale.
  virtual void SetReferencedFiles(std::vector<std::string> paths) { (void)paths; }

  // The operator's values for the documents' templates (source/template_values.h):
  // set by whoever opens the source, kept by AtRevision. None by default: a
  // template then names a value nobody gave, an error at its place.
  void SetTemplateValues(std::shared_ptr<const TemplateValues> values) {
    template_values_ = std::move(values);
  }
  const TemplateValues& template_values() const;
  const std::shared_ptr<const TemplateValues>& shared_template_values() const {
    return template_values_;
  }

 private:
  std::shared_ptr<const TemplateValues> template_values_;
};

// The content id of a document's bytes ("h-" + hash), as Source::ContentId gives
// by default.
std::string ContentIdOf(std::string_view text);

// A directory on disk.
std::unique_ptr<Source> NewDirectorySource(const std::string& root);

}  // namespace stowage
