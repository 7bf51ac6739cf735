#include "source/confine.h"

#include <deque>

namespace stowage {
namespace {

constexpr int kMaxLinks = 40;  // as the kernel's ELOOP limit

std::deque<std::string> Split(const std::string& path) {
  std::deque<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// `target` (absolute) below `root`: the part below it, "" for the root itself.
bool Below(const std::string& target, const std::string& root, std::string& rest) {
  if (root.empty() || target.compare(0, root.size(), root) != 0) return false;
  if (target.size() == root.size()) {
    rest.clear();
    return true;
  }
  if (root.back() != '/' && target[root.size()] != '/') return false;
  rest = target.substr(root.size());
  return true;
}

}  // namespace

Resolved ResolveInside(const std::string& relative, const PathLookup& lookup,
                       const std::string& absolute_root) {
  Resolved r;
  std::vector<std::string> done;  // resolved components, none a symlink
  std::deque<std::string> todo = Split(relative);
  int links = 0;
  while (!todo.empty()) {
    const std::string part = todo.front();
    todo.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (done.empty()) {
        r.outcome = Resolved::Outcome::kLeaves;
        return r;
      }
      done.pop_back();
      continue;
    }
    done.push_back(part);
    const PathEntry entry = lookup(Join(done));
    if (entry.kind == PathEntry::Kind::kMissing) {
      r.outcome = Resolved::Outcome::kDangling;
      return r;
    }
    if (entry.kind != PathEntry::Kind::kSymlink) {
      if (!todo.empty() && entry.kind != PathEntry::Kind::kDirectory) {
        r.outcome = Resolved::Outcome::kDangling;  // a file used as a folder
        return r;
      }
      r.kind = entry.kind;
      continue;
    }
    if (++links > kMaxLinks) {
      r.outcome = Resolved::Outcome::kLoop;
      return r;
    }
    r.chain.push_back(entry.link_target);
    done.pop_back();
    std::string target = entry.link_target;
    if (!target.empty() && target.front() == '/') {
      std::string rest;
      if (!Below(target, absolute_root, rest)) {
        r.outcome = Resolved::Outcome::kLeaves;
        return r;
      }
      done.clear();
      target = rest;
    }
    std::deque<std::string> hop = Split(target);
    todo.insert(todo.begin(), hop.begin(), hop.end());
  }
  if (done.empty()) r.kind = PathEntry::Kind::kDirectory;  // the root itself
  r.path = Join(done);
  return r;
}

std::string SymlinkProblem(const std::string& link, const Resolved& r) {
  std::string chain = link;
  for (const auto& hop : r.chain) chain += " -> " + hop;
  switch (r.outcome) {
    case Resolved::Outcome::kLeaves:
      return "symlink leaves the source: " + chain;
    case Resolved::Outcome::kDangling:
      return "symlink does not resolve: " + chain;
    case Resolved::Outcome::kLoop:
      return "symlink loop: " + link + " -> " + (r.chain.empty() ? "" : r.chain.front()) +
             " (more than 40 links)";
    case Resolved::Outcome::kInside:
      break;
  }
  return "";
}

bool IsDocumentName(const std::string& name) {
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return false;
  const std::string ext = name.substr(dot);
  return ext == ".json" || ext == ".yaml" || ext == ".yml";
}

}  // namespace stowage
