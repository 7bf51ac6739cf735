#include <catch2/catch.hpp>
#include <map>

#include "source/confine.h"

namespace stowage {
namespace {

// A tree of paths: "d/" a folder, "f" a file, "->x" a symlink to x.
PathLookup Tree(std::map<std::string, std::string> entries, std::vector<std::string>* looked_up) {
  return [entries, looked_up](const std::string& path) {
    if (looked_up) looked_up->push_back(path);
    PathEntry e;
    auto it = entries.find(path);
    if (it == entries.end()) return e;
    if (it->second == "d") e.kind = PathEntry::Kind::kDirectory;
    if (it->second == "f") e.kind = PathEntry::Kind::kFile;
    if (it->second.rfind("->", 0) == 0) {
      e.kind = PathEntry::Kind::kSymlink;
      e.link_target = it->second.substr(2);
    }
    return e;
  };
}

}  // namespace

TEST_CASE("a symlink that resolves inside the root is followed", "[source]") {
  auto tree = Tree({{"defs", "d"},
                    {"defs/app.txt", "f"},
                    {"app.yaml", "->defs/app.txt"},
                    {"x", "d"},
                    {"x/up.yaml", "->../defs/./app.txt"},
                    {"abs.yaml", "->/src/root/defs/app.txt"},
                    {"alias", "->defs"},
                    {"via.yaml", "->alias/app.txt"}},
                   nullptr);
  for (const char* link : {"app.yaml", "x/up.yaml", "abs.yaml", "via.yaml"}) {
    const Resolved r = ResolveInside(link, tree, "/src/root");
    INFO(link);
    CHECK(r.outcome == Resolved::Outcome::kInside);
    CHECK(r.path == "defs/app.txt");
    CHECK(r.kind == PathEntry::Kind::kFile);
  }
  CHECK(ResolveInside("alias", tree, "/src/root").kind == PathEntry::Kind::kDirectory);
}

TEST_CASE("a symlink that leaves the root is refused without looking outside", "[source]") {
  std::vector<std::string> looked_up;
  auto tree = Tree({{"env.yaml", "->/etc/passwd"},
                    {"up.yaml", "->../../etc/passwd"},
                    {"a.yaml", "->b.yaml"},
                    {"b.yaml", "->/etc/hostname"},
                    {"near.yaml", "->/src/rootx/a.yaml"},
                    {"root", "->/"},
                    {"through.yaml", "->root/etc/passwd"}},
                   &looked_up);
  const Resolved env = ResolveInside("env.yaml", tree, "/src/root");
  CHECK(env.outcome == Resolved::Outcome::kLeaves);
  CHECK(SymlinkProblem("env.yaml", env) == "symlink leaves the source: env.yaml -> /etc/passwd");
  CHECK(SymlinkProblem("up.yaml", ResolveInside("up.yaml", tree, "/src/root")) ==
        "symlink leaves the source: up.yaml -> ../../etc/passwd");
  CHECK(SymlinkProblem("a.yaml", ResolveInside("a.yaml", tree, "/src/root")) ==
        "symlink leaves the source: a.yaml -> b.yaml -> /etc/hostname");
  CHECK(ResolveInside("near.yaml", tree, "/src/root").outcome == Resolved::Outcome::kLeaves);
  CHECK(ResolveInside("through.yaml", tree, "/src/root").outcome == Resolved::Outcome::kLeaves);
  // Without an absolute root (a git tree) every absolute target leaves.
  CHECK(ResolveInside("env.yaml", tree, "").outcome == Resolved::Outcome::kLeaves);
  for (const auto& p : looked_up) CHECK(p.find("etc") == std::string::npos);
}

TEST_CASE("dangling links, loops and files used as folders do not resolve", "[source]") {
  auto tree = Tree({{"a.yaml", "->b.yaml"},
                    {"b.yaml", "->a.yaml"},
                    {"self.yaml", "->self.yaml"},
                    {"gone.yaml", "->missing.yaml"},
                    {"f", "f"},
                    {"under.yaml", "->f/x.yaml"}},
                   nullptr);
  const Resolved loop = ResolveInside("a.yaml", tree, "");
  CHECK(loop.outcome == Resolved::Outcome::kLoop);
  CHECK(SymlinkProblem("a.yaml", loop) == "symlink loop: a.yaml -> b.yaml (more than 40 links)");
  CHECK(ResolveInside("self.yaml", tree, "").outcome == Resolved::Outcome::kLoop);
  const Resolved gone = ResolveInside("gone.yaml", tree, "");
  CHECK(gone.outcome == Resolved::Outcome::kDangling);
  CHECK(SymlinkProblem("gone.yaml", gone) == "symlink does not resolve: gone.yaml -> missing.yaml");
  CHECK(ResolveInside("under.yaml", tree, "").outcome == Resolved::Outcome::kDangling);
}

TEST_CASE("document names", "[source]") {
  CHECK(IsDocumentName("a.yaml"));
  CHECK(IsDocumentName("a.yml"));
  CHECK(IsDocumentName("a.b.json"));
  CHECK_FALSE(IsDocumentName("a.yaml.txt"));
  CHECK_FALSE(IsDocumentName("yaml"));
}

}  // namespace stowage
