// A directory source's revision covers the files its documents reference
// (cluster TLS files, age secret files), not only the documents: a changed
// key or age file is a new revision, so a saved plan made before is stale
// and a watcher reloads.
#include "load/referenced_files.h"

#include <catch2/catch.hpp>

#include "load/load_source.h"
#include "load_test_util.h"
#include "support/temp_dir.h"

namespace stowage::load {
namespace {

constexpr const char* kCluster = R"(kind: Cluster
name: prod
hosts:
  - name: web-2
    endpoint: tcp://10.0.0.6:2376
    tls: {ca: certs/ca.pem, cert: certs/cert.pem, key: .keys/key.pem}
)";

constexpr const char* kWeb = R"(family: web
containerDefinitions:
  - name: app
    image: nginx:1
    memory: 64
    secrets:
      - name: DB
        valueFrom: "age:secrets/prod.env.age#DB"
      - name: API
        valueFrom: api_key
    repositoryCredentials:
      credentialsParameter: "age:secrets/registry.age"
)";

void WriteSource(const TempDir& dir) {
  dir.Write("cluster.yaml", kCluster);
  dir.Write("web.yaml", kWeb);
  dir.Write("certs/ca.pem", "ca 1");
  dir.Write("certs/cert.pem", "cert 1");
  dir.Write(".keys/key.pem", "key 1");
  dir.Write("secrets/prod.env.age", "age bytes 1");
  dir.Write("secrets/registry.age", "registry bytes 1");
}

}  // namespace

TEST_CASE("referenced files: TLS files and age files, sorted, once", "[loader][revision]") {
  TempDir dir;
  WriteSource(dir);
  auto source = NewDirectorySource(dir.path());
  LoadedSource loaded = LoadSource(*source);
  REQUIRE(Lines(loaded).empty());
  CHECK(ReferencedFiles(loaded.all_clusters, loaded.state.task_definitions) ==
        std::vector<std::string>{".keys/key.pem", "certs/ca.pem", "certs/cert.pem",
                                 "secrets/prod.env.age", "secrets/registry.age"});
}

TEST_CASE("a directory's revision covers the bytes of its TLS and age files",
          "[loader][revision]") {
  TempDir dir;
  WriteSource(dir);
  auto source = NewDirectorySource(dir.path());
  const std::string r1 = LoadSource(*source).state.source_revision;
  REQUIRE(!r1.empty());
  // Once loaded, the source's own revision (what a watcher polls) is the same.
  CHECK(*source->Revision() == r1);
  CHECK(LoadSource(*source).state.source_revision == r1);

  std::string last = r1;
  for (const char* file :
       {"certs/ca.pem", ".keys/key.pem", "secrets/prod.env.age", "secrets/registry.age"}) {
    INFO(file);
    dir.Write(file, std::string("changed ") + file);
    const std::string polled = *source->Revision();
    CHECK(polled != last);
    const std::string loaded = LoadSource(*source).state.source_revision;
    CHECK(loaded == polled);
    last = loaded;
  }
  // A file that is not referenced changes nothing.
  dir.Write("secrets/unused.age", "x");
  CHECK(LoadSource(*source).state.source_revision == last);
}

}  // namespace stowage::load
