#include <catch2/catch.hpp>
#include <filesystem>

#include "load/load_source.h"
#include "source/git/git_source.h"
#include "support/git_repo.h"
#include "support/temp_dir.h"

namespace stowage::load {

TEST_CASE("loading through the cache parses only the files whose blob changed", "[loader][git]") {
  GitRepo repo;
  std::filesystem::copy(STOWAGE_SOURCE_DIR "/examples", repo.path(),
                        std::filesystem::copy_options::recursive);
  repo.Commit("examples");
  TempDir cache_dir;
  GitSourceOptions options;
  options.url = repo.path();
  options.cache_dir = cache_dir.path();
  auto source = OpenGitSource(options);
  REQUIRE(source.ok());
  const std::size_t files = (*source)->List()->size();

  LoadCache cache;
  LoadedSource first = LoadSource(**source, cache);
  REQUIRE(first.ok());
  CHECK(cache.misses() == files);
  CHECK(cache.size() == files);

  LoadedSource again = LoadSource(**source, cache);
  CHECK(cache.hits() == files);
  CHECK(cache.misses() == files);
  CHECK(again.state.services.size() == first.state.services.size());
  CHECK(again.state.cluster.name == first.state.cluster.name);

  repo.Write("web.yaml", "# one comment more\n" + *(*source)->Read("web.yaml"));
  repo.Commit("touch web");
  REQUIRE((*source)->Refresh().ok());
  LoadedSource third = LoadSource(**source, cache);
  REQUIRE(third.ok());
  CHECK(cache.misses() == files + 1);
  CHECK(cache.hits() == 2 * files - 1);
  CHECK(cache.size() == files);  // the old web.yaml blob was dropped
  LoadedSource plain = LoadSource(**source);
  CHECK(third.state.source_revision == plain.state.source_revision);
  CHECK(third.state.task_definitions.size() == plain.state.task_definitions.size());
  CHECK(third.diagnostics.warnings() == plain.diagnostics.warnings());
}

}  // namespace stowage::load
