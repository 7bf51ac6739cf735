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
