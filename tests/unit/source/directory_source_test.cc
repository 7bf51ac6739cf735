#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "source/source.h"
#include "support/temp_dir.h"

namespace stowage {

TEST_CASE("directory source lists documents sorted and skips hidden folders", "[source]") {
  TempDir dir;
  dir.Write("services/web.yaml", "a: 1\n");
  dir.Write("cluster.yaml", "kind: Cluster\n");
  dir.Write("b.json", "{}");
  dir.Write("notes.txt", "ignored");
  dir.Write(".git/config.yaml", "hidden: true\n");
  dir.Write("x/.hidden/y.yml", "hidden: true\n");
  auto src = NewDirectorySource(dir.path());
  auto files = src->List();
  REQUIRE(files.ok());
  CHECK(*files == std::vector<std::string>{"b.json", "cluster.yaml", "services/web.yaml"});
  auto text = src->Read("b.json");
  REQUIRE(text.ok());
  CHECK(*text == "{}");
}

TEST_CASE("directory revision changes with content and only with content", "[source]") {
  TempDir dir;
  dir.Write("a.yaml", "a: 1\n");
  auto src = NewDirectorySource(dir.path());
  auto r1 = src->Revision();
  REQUIRE(r1.ok());
  CHECK(*src->Revision() == *r1);
  dir.Write("a.yaml", "a: 2\n");
  CHECK(*src->Revision() != *r1);
}

TEST_CASE("directory source reports a missing root", "[source]") {
  auto src = NewDirectorySource("/nonexistent/stowage-test");
  auto files = src->List();
  REQUIRE_FALSE(files.ok());
  CHECK(files.status().code() == Status::Code::kNotFound);
}

}  // namespace stowage

namespace stowage {

TEST_CASE("directory source follows symlinks only inside its root", "[source]") {
  namespace fs = std::filesystem;
  TempDir outside;
  outside.Write("secret.yaml", "secret: 1\n");
  TempDir dir;
  dir.Write("defs/app.txt", "family: app\n");
  fs::create_symlink("defs/app.txt", dir.path() + "/app.yaml");
  fs::create_symlink(outside.path() + "/secret.yaml", dir.path() + "/env.yaml");
  fs::create_directory_symlink(outside.path(), dir.path() + "/conf");
  fs::create_directory_symlink("defs", dir.path() + "/alias");
  auto src = NewDirectorySource(dir.path());
  auto files = src->List();
  REQUIRE(files.ok());
  CHECK(*files == std::vector<std::string>{"app.yaml"});
  CHECK(*src->Read("app.yaml") == "family: app\n");
  std::vector<std::string> lines;
  const Diagnostics found = src->ListDiagnostics();
  for (const auto& d : found.items()) lines.push_back(FormatDiagnostic(d));
  CHECK(lines == std::vector<std::string>{
                     "conf: error: symlink leaves the source: conf -> " + outside.path(),
                     "env.yaml: error: symlink leaves the source: env.yaml -> " + outside.path() +
                         "/secret.yaml"});
  // Read() of a path that was never listed is confined too.
  CHECK(src->Read("env.yaml").status().message() ==
        "symlink leaves the source: env.yaml -> " + outside.path() + "/secret.yaml");
  CHECK(src->Read("../" + fs::path(outside.path()).filename().string() + "/secret.yaml")
            .status()
            .message()
            .rfind("symlink leaves the source", 0) == 0);
}

TEST_CASE("directory source checks the size before reading", "[source]") {
  TempDir dir;
  const std::string path = dir.Write("big.yaml", "");
  std::filesystem::resize_file(path, kMaxDocumentBytes + 1);
  auto src = NewDirectorySource(dir.path());
  REQUIRE(*src->List() == std::vector<std::string>{"big.yaml"});
  CHECK(src->Read("big.yaml").status().message() ==
        "file too large (8388609 bytes; the limit is 8 MiB)");
}

}  // namespace stowage
