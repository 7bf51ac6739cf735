// Confinement: a path of a source, resolved without ever leaving its root.
//
// Both sources (a directory, a git commit) hold symlinks; a symlink is
// followed only when its target resolves inside the source root. ResolveInside
// walks a path component by component through a Lookup the source provides
// (lstat/readlink on disk, tree entries in a commit), follows each symlink it
// meets (relative to the link's folder; an absolute target only when it
// names a place below `absolute_root`), and answers with the resolved path
// relative to the root, or why it cannot: the chain leaves the root (a `..`
// above it, an absolute target elsewhere), dangles, or loops. Nothing outside
// the root is ever looked up: the walk stops at the first step out.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace stowage {

// What one path (relative to the root, '/'-separated, no symlink in it
// before its last component) is.
struct PathEntry {
  enum class Kind { kMissing, kFile, kDirectory, kSymlink, kOther };
  Kind kind = Kind::kMissing;
  std::string link_target;  // kSymlink: the link's text
};
using PathLookup = std::function<PathEntry(const std::string& relative)>;

struct Resolved {
  enum class Outcome { kInside, kLeaves, kDangling, kLoop };
  Outcome outcome = Outcome::kInside;
  std::string path;                // kInside: the resolved path, relative to the root
  PathEntry::Kind kind{};          // kInside: what it is (never kSymlink)
  std::vector<std::string> chain;  // the text of every link followed, in order
};

// Resolves `relative` (as listed: '/'-separated, no "." or ".." components).
// `absolute_root` is the root's canonical absolute path ("" when there is none,
// as for a git tree: then every absolute target leaves).
Resolved ResolveInside(const std::string& relative, const PathLookup& lookup,
                       const std::string& absolute_root);

// The diagnostic for a symlink that did not resolve inside:
// "symlink leaves the source: env.yaml -> /etc/passwd" (every hop of the chain
// shown, each escaped by the renderer), "symlink does not resolve: ..." or
// "symlink loop: ...". `link` is the path that was listed.
std::string SymlinkProblem(const std::string& link, const Resolved& r);

// Whether a file name is a document of a source (*.json, *.yaml, *.yml).
bool IsDocumentName(const std::string& name);

}  // namespace stowage
