#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "source/document_cache.h"
#include "source/git/git_source.h"
#include "support/git_repo.h"
#include "support/temp_dir.h"

namespace stowage {
namespace {

std::unique_ptr<Source> Open(const GitSourceOptions& o) {
  auto src = OpenGitSource(o);
  if (!src.ok()) FAIL(src.status().ToString());
  return std::move(*src);
}

GitSourceOptions Opts(const std::string& url, const std::string& cache, const std::string& ref = "",
                      const std::string& path = "") {
  GitSourceOptions o;
  o.url = url;
  o.cache_dir = cache;
  o.ref = ref;
  o.path = path;
  return o;
}

void Fill(const GitRepo& repo) {
  repo.Write("cluster.yaml", "kind: Cluster\n");
  repo.Write("services/web.yaml", "serviceName: web\n");
  repo.Write("services/db.json", "{}");
  repo.Write("notes.txt", "ignored");
  repo.Write(".github/ci.yaml", "hidden: true\n");
  repo.Write("x/.hidden.yml", "hidden: true\n");
  repo.Commit("first");
}

std::size_t Mirrors(const std::string& cache) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(cache + "/git")) n += e.is_directory();
  return n;
}

}  // namespace

TEST_CASE("git source reads the remote's default branch from the tree", "[source][git]") {
  GitRepo repo("trunk");
  Fill(repo);
  repo.Git("checkout -q -b other");
  repo.Write("other.yaml", "a: 1\n");
  repo.Commit("on other");
  repo.Git("checkout -q trunk");
  TempDir cache;
  auto src = Open(Opts(repo.path(), cache.path()));
  CHECK(*src->List() ==
        std::vector<std::string>{"cluster.yaml", "services/db.json", "services/web.yaml"});
  CHECK(*src->Read("services/web.yaml") == "serviceName: web\n");
  CHECK(*src->Revision() == repo.Git("rev-parse trunk"));
  CHECK(*src->ContentId("services/db.json") == repo.Git("rev-parse trunk:services/db.json"));
  CHECK(src->Describe() == "git " + repo.path() + "@" + repo.Git("rev-parse trunk").substr(0, 12));
  CHECK(src->Read("nope.yaml").status().message() == "nope.yaml not found in " + src->Describe());
}

TEST_CASE("git source resolves a branch, a tag and a commit id", "[source][git]") {
  GitRepo repo("main");
  Fill(repo);
  const std::string first = repo.Git("rev-parse HEAD");
  repo.Git("tag v1");
  repo.Write("cluster.yaml", "kind: Cluster\nname: two\n");
  const std::string second = repo.Commit("second");
  repo.Git("branch stable " + first);
  TempDir cache;
  const std::string url = "file://" + repo.path();
  CHECK(*Open(Opts(url, cache.path(), "main"))->Revision() == second);
  CHECK(*Open(Opts(url, cache.path(), "stable"))->Revision() == first);
  CHECK(*Open(Opts(url, cache.path(), "v1"))->Revision() == first);
  CHECK(*Open(Opts(url, cache.path(), first))->Revision() == first);
  auto src = Open(Opts(url, cache.path(), "v1"));
  CHECK(*src->Read("cluster.yaml") == "kind: Cluster\n");
  CHECK(Mirrors(cache.path()) == 1);

  auto missing = OpenGitSource(Opts(url, cache.path(), "nope"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kNotFound);
  CHECK(missing.status().message() ==
        "ref \"nope\" not found in " + url + " (expected a branch, a tag or a commit id)");
}

TEST_CASE("git source reads below --path", "[source][git]") {
  GitRepo repo;
  Fill(repo);
  TempDir cache;
  auto src = Open(Opts(repo.path(), cache.path(), "", "./services/"));
  CHECK(*src->List() == std::vector<std::string>{"db.json", "web.yaml"});
  CHECK(*src->Read("web.yaml") == "serviceName: web\n");

  auto missing = OpenGitSource(Opts(repo.path(), cache.path(), "", "deploy"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() ==
        "path deploy not found in commit " + repo.Git("rev-parse HEAD").substr(0, 12));
  auto file = OpenGitSource(Opts(repo.path(), cache.path(), "", "cluster.yaml"));
  REQUIRE_FALSE(file.ok());
  CHECK(file.status().code() == Status::Code::kInvalid);
}

TEST_CASE("git source fetches new commits incrementally into one mirror", "[source][git]") {
  GitRepo repo;
  Fill(repo);
  TempDir cache;
  auto src = Open(Opts(repo.path(), cache.path()));
  const std::string first = *src->Revision();
  const std::string cluster_id = *src->ContentId("cluster.yaml");
  const std::string web_id = *src->ContentId("services/web.yaml");

  REQUIRE(src->Refresh().ok());
  CHECK(*src->Revision() == first);

  repo.Write("services/web.yaml", "serviceName: web\ndesiredCount: 3\n");
  repo.Write("services/new.yml", "serviceName: new\n");
  const std::string second = repo.Commit("second");
  CHECK(*src->Revision() == first);  // pinned until Refresh
  REQUIRE(src->Refresh().ok());
  CHECK(*src->Revision() == second);
  CHECK(*src->ContentId("cluster.yaml") == cluster_id);
  CHECK(*src->ContentId("services/web.yaml") != web_id);
  CHECK(*src->Read("services/new.yml") == "serviceName: new\n");
  CHECK(Mirrors(cache.path()) == 1);

  // A later process reuses the mirror.
  CHECK(*Open(Opts(repo.path(), cache.path()))->Revision() == second);
  CHECK(Mirrors(cache.path()) == 1);
}

TEST_CASE("git source keeps its revision while the remote is unreachable", "[source][git]") {
  GitRepo repo;
  Fill(repo);
  TempDir cache;
  auto src = Open(Opts(repo.path(), cache.path()));
  const std::string first = *src->Revision();
  const std::string moved = repo.path() + ".away";
  std::filesystem::rename(repo.path(), moved);
  Status s = src->Refresh();
  std::filesystem::rename(moved, repo.path());
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == Status::Code::kUnreachable);
  CHECK(*src->Revision() == first);
  CHECK(*src->Read("cluster.yaml") == "kind: Cluster\n");
  repo.Write("cluster.yaml", "kind: Cluster\nname: back\n");
  const std::string second = repo.Commit("back");
  REQUIRE(src->Refresh().ok());
  CHECK(*src->Revision() == second);
}

TEST_CASE("git source waits for the cache lock another process holds", "[source][git]") {
  GitRepo repo;
  Fill(repo);
  TempDir cache;
  auto src = Open(Opts(repo.path(), cache.path()));
  const std::string lock_file = GitCacheEntry(repo.path(), cache.path()) + "/" + kGitCacheLockFile;
  REQUIRE(std::filesystem::exists(lock_file));
  // Another open file description: flock treats it as another process would.
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  const std::string second = [&] {
    repo.Write("services/web.yaml", "serviceName: web\ndesiredCount: 2\n");
    return repo.Commit("second");
  }();
  std::atomic<bool> refreshed{false};
  Status status = Status::Ok();
  std::thread fetcher([&] {
    status = src->Refresh();
    refreshed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK_FALSE(refreshed);  // blocked on the lock
  ::flock(fd, LOCK_UN);
  fetcher.join();
  CHECK(status.ok());
  CHECK(*src->Revision() == second);

  // A shared hold (a reader) blocks a fetch too, but not another reader.
  REQUIRE(::flock(fd, LOCK_SH) == 0);
  CHECK(*src->Read("services/web.yaml") == "serviceName: web\ndesiredCount: 2\n");
  ::flock(fd, LOCK_UN);
  ::close(fd);
}

TEST_CASE("two sources sharing a cache fetch side by side", "[source][git]") {
  GitRepo repo;
  Fill(repo);
  TempDir cache;
  auto a = Open(Opts(repo.path(), cache.path()));
  auto b = Open(Opts(repo.path(), cache.path()));
  std::string last;
  for (int i = 0; i < 5; ++i) {
    repo.Write("n.yaml", "n: " + std::to_string(i) + "\n");
    last = repo.Commit("c" + std::to_string(i));
    Status sa = Status::Ok(), sb = Status::Ok();
    std::thread ta([&] { sa = a->Refresh(); });
    std::thread tb([&] { sb = b->Refresh(); });
    ta.join();
    tb.join();
    CHECK(sa.ok());
    CHECK(sb.ok());
  }
  CHECK(*a->Revision() == last);
  CHECK(*b->Revision() == last);
  CHECK(*a->Read("n.yaml") == "n: 4\n");
  CHECK(Mirrors(cache.path()) == 1);
}

TEST_CASE("git source reports an empty repository", "[source][git]") {
  GitRepo repo;
  TempDir cache;
  auto src = OpenGitSource(Opts(repo.path(), cache.path()));
  REQUIRE_FALSE(src.ok());
  CHECK(src.status().message() == repo.path() + " has no default branch (empty repository?)");
}

TEST_CASE("document cache parses a blob once and keeps it while unchanged", "[source][git]") {
  GitRepo repo;
  Fill(repo);
  TempDir cache;
  auto src = Open(Opts(repo.path(), cache.path()));
  DocumentCache<std::string> docs;
  int parses = 0;
  auto load = [&] {
    const std::vector<std::string> paths = *src->List();
    for (const auto& path : paths) {
      docs.GetOrParse(path, *src->ContentId(path), [&] {
        ++parses;
        return std::make_shared<const std::string>(*src->Read(path));
      });
    }
    docs.Sweep();
  };
  load();
  CHECK(parses == 3);
  load();
  CHECK(parses == 3);
  CHECK(docs.hits() == 3);
  repo.Write("services/web.yaml", "serviceName: web\ndesiredCount: 2\n");
  repo.Git("rm -q services/db.json");
  repo.Commit("touch one, remove one");
  REQUIRE(src->Refresh().ok());
  load();
  CHECK(parses == 4);  // only the changed file is parsed again
  CHECK(docs.size() == 2);
  CHECK(*docs.GetOrParse("services/web.yaml", *src->ContentId("services/web.yaml"), [] {
    return std::make_shared<const std::string>("stale");
  }) == "serviceName: web\ndesiredCount: 2\n");
}

TEST_CASE("directory content ids follow the bytes", "[source]") {
  TempDir dir;
  dir.Write("a.yaml", "a: 1\n");
  dir.Write("b.yaml", "a: 1\n");
  auto src = NewDirectorySource(dir.path());
  CHECK(*src->ContentId("a.yaml") == *src->ContentId("b.yaml"));
  dir.Write("b.yaml", "a: 2\n");
  CHECK(*src->ContentId("a.yaml") != *src->ContentId("b.yaml"));
}

TEST_CASE("git URLs are redacted for messages", "[source][git]") {
  CHECK(RedactUrl("https://user:s3cret@example.com/r.git") == "https://user:***@example.com/r.git");
  CHECK(RedactUrl("https://ghp_token@example.com/r.git") == "https://***@example.com/r.git");
  CHECK(RedactUrl("ssh://git@example.com/r.git") == "ssh://git@example.com/r.git");
  CHECK(RedactUrl("git@example.com:org/r.git") == "git@example.com:org/r.git");
  CHECK(RedactUrl("https://example.com/a@b") == "https://example.com/a@b");
}

}  // namespace stowage

namespace stowage {

TEST_CASE("git source follows a symlink only inside the tree below --path", "[source][git]") {
  namespace fs = std::filesystem;
  GitRepo repo;
  repo.Write("fleet/defs/app.txt", "family: app\n");
  repo.Write("fleet/cluster.yaml", "kind: Cluster\n");
  repo.Write("outside.yaml", "secret: 1\n");
  fs::create_symlink("defs/app.txt", repo.path() + "/fleet/app.yaml");
  fs::create_symlink("/etc/passwd", repo.path() + "/fleet/env.yaml");
  fs::create_symlink("../outside.yaml", repo.path() + "/fleet/up.yaml");
  fs::create_symlink("loop.yaml", repo.path() + "/fleet/loop.yaml");
  fs::create_symlink("/etc", repo.path() + "/fleet/conf");
  fs::create_symlink("defs", repo.path() + "/fleet/alias");
  repo.Commit("links");
  TempDir cache;
  auto src = Open(Opts(repo.path(), cache.path(), "", "fleet"));
  CHECK(*src->List() == std::vector<std::string>{"app.yaml", "cluster.yaml"});
  CHECK(*src->Read("app.yaml") == "family: app\n");
  CHECK(*src->ContentId("app.yaml") == repo.Git("rev-parse HEAD:fleet/defs/app.txt"));
  std::vector<std::string> lines;
  const Diagnostics found = src->ListDiagnostics();
  for (const auto& d : found.items()) lines.push_back(FormatDiagnostic(d));
  CHECK(lines == std::vector<std::string>{
                     "conf: error: symlink leaves the source: conf -> /etc",
                     "env.yaml: error: symlink leaves the source: env.yaml -> /etc/passwd",
                     "loop.yaml: error: symlink loop: loop.yaml -> loop.yaml (more than 40 links)",
                     "up.yaml: error: symlink leaves the source: up.yaml -> ../outside.yaml"});
}

TEST_CASE("git source reads a file a document names (tls, age) without listing it",
          "[source][git]") {
  GitRepo repo("main");
  Fill(repo);
  repo.Write("secrets/app.env.age", "age bytes");
  repo.Commit("secrets");
  TempDir cache;
  auto src = Open(Opts(repo.path(), cache.path()));
  CHECK(*src->List() ==
        std::vector<std::string>{"cluster.yaml", "services/db.json", "services/web.yaml"});
  CHECK(*src->Read("secrets/app.env.age") == "age bytes");
  CHECK(*src->Read("notes.txt") == "ignored");
  CHECK(*src->ContentId("notes.txt") == repo.Git("rev-parse HEAD:notes.txt"));
  CHECK(src->Read("secrets/none.age").status().message() ==
        "secrets/none.age not found in " + src->Describe());
}

}  // namespace stowage
