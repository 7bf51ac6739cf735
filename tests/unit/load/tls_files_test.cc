// Cluster tls files come from the source, never from the working directory of
// the stowage process: a git source's from the commit, a directory's from
// below its root (a symlink out is an error at the field).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "load/load_source.h"
#include "load_test_util.h"
#include "source/git/git_source.h"
#include "support/git_repo.h"
#include "support/temp_dir.h"

namespace stowage::load {
namespace {

constexpr const char* kCluster = R"(kind: Cluster
name: prod
hosts:
  - name: web-2
    endpoint: tcp://10.0.0.6:2376
    tls: {ca: certs/ca.pem, cert: certs/cert.pem, key: certs/key.pem}
)";

// Runs in `dir` until it goes out of scope.
class InDirectory {
 public:
  explicit InDirectory(const std::string& dir) : old_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  ~InDirectory() { std::filesystem::current_path(old_); }

 private:
  std::filesystem::path old_;
};

void WriteCerts(const TempDir& dir, const std::string& prefix, const std::string& tag) {
  for (const char* f : {"ca", "cert", "key"}) {
    dir.Write(prefix + "certs/" + f + ".pem", tag + " " + f);
  }
}

}  // namespace

TEST_CASE("a git source's tls files are read from the commit, not the working directory",
          "[loader][tls]") {
  GitRepo repo("main");
  repo.Write("infra/cluster.yaml", kCluster);
  for (const char* f : {"ca", "cert", "key"}) {
    repo.Write(std::string("infra/certs/") + f + ".pem", std::string("commit ") + f);
  }
  repo.Commit("cluster with tls");
  TempDir cache, cwd;
  // Files of the same relative paths where stowage runs: never to be read.
  WriteCerts(cwd, "", "cwd");
  WriteCerts(cwd, "infra/", "cwd");
  GitSourceOptions o;
  o.url = repo.path();
  o.cache_dir = cache.path();
  auto source = OpenGitSource(o);
  REQUIRE(source.ok());
  InDirectory in(cwd.path());
  LoadedSource loaded = LoadSource(**source);
  CHECK(Lines(loaded) == std::vector<std::string>{});
  const auto& tls = loaded.state.cluster.hosts.at(0).tls;
  REQUIRE(tls.has_value());
  CHECK(tls->ca == "infra/certs/ca.pem");
  CHECK(tls->ca_pem == "commit ca");
  CHECK(tls->cert_pem == "commit cert");
  CHECK(tls->key_pem == "commit key");

  // Missing from the commit: an error at the field, even though the working
  // directory has a file of that name.
  repo.Git("rm -q infra/certs/key.pem");
  repo.Commit("no key");
  REQUIRE((*source)->Refresh().ok());
  LoadedSource missing = LoadSource(**source);
  CHECK(Lines(missing) ==
        std::vector<std::string>{"infra/cluster.yaml:6:56: error: hosts[0].tls.key: "
                                 "\"infra/certs/key.pem\": infra/certs/key.pem not found in " +
                                 (*source)->Describe()});
}

TEST_CASE("a directory source's tls files are read below its root, symlinks confined",
          "[loader][tls]") {
  TempDir src, outside;
  src.Write("infra/cluster.yaml", kCluster);
  WriteCerts(src, "infra/", "source");
  InDirectory in(outside.path());
  WriteCerts(outside, "infra/", "cwd");
  auto source = NewDirectorySource(src.path());
  LoadedSource loaded = LoadSource(*source);
  CHECK(Lines(loaded) == std::vector<std::string>{});
  const auto& tls = loaded.state.cluster.hosts.at(0).tls;
  REQUIRE(tls.has_value());
  CHECK(tls->ca == "infra/certs/ca.pem");
  CHECK(tls->key_pem == "source key");

  // A key that is a symlink out of the source is never read.
  outside.Write("secret.pem", "operator's private key");
  std::filesystem::remove(src.path() + "/infra/certs/key.pem");
  std::filesystem::create_symlink(outside.path() + "/secret.pem",
                                  src.path() + "/infra/certs/key.pem");
  LoadedSource linked = LoadSource(*source);
  const std::string link =
      "symlink leaves the source: infra/certs/key.pem -> " + outside.path() + "/secret.pem";
  // The listing reports the link; the read of the field is refused too.
  CHECK(Lines(linked) ==
        std::vector<std::string>{"infra/certs/key.pem: error: " + link,
                                 "infra/cluster.yaml:6:56: error: hosts[0].tls.key: "
                                 "\"infra/certs/key.pem\": " +
                                     link});
  for (const auto& h : linked.state.cluster.hosts) {
    CHECK(h.tls->key_pem.empty());
  }
}

TEST_CASE("an empty tls file of the source is an error, never a path opened where stowage runs",
          "[loader][tls]") {
  TempDir src, cwd;
  src.Write("infra/cluster.yaml", kCluster);
  WriteCerts(src, "infra/", "source");
  src.Write("infra/certs/key.pem", "");
  WriteCerts(cwd, "infra/", "cwd");  // what libcurl would open for an unset key
  InDirectory in(cwd.path());
  auto source = NewDirectorySource(src.path());
  LoadedSource loaded = LoadSource(*source);
  CHECK(Lines(loaded) ==
        std::vector<std::string>{"infra/cluster.yaml:6:56: error: hosts[0].tls.key: "
                                 "\"infra/certs/key.pem\": the file is empty"});
}

TEST_CASE("a unix:// host's ignored tls block is not read", "[loader][tls]") {
  auto loaded = LoadFiles({{"cluster.yaml", R"(kind: Cluster
name: prod
hosts:
  - name: local
    endpoint: unix:///var/run/docker.sock
    tls: {ca: none.pem, cert: none.pem, key: none.pem}
)"}});
  CHECK(Lines(loaded).empty());
}

}  // namespace stowage::load
