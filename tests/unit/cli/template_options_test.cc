// --var-file and --template-env on the real `stowage` executable: the
// operator's values fill the source's templates; the machine's environment
// is read only for the names allowed, and never shown otherwise.
#include <catch2/catch.hpp>
#include <string>

#include "support/run_command.h"
#include "support/temp_dir.h"

namespace stowage {
namespace {

void WriteSource(const TempDir& dir, const std::string& image) {
  dir.Write("cluster.yaml",
            "kind: Cluster\nname: c\nhosts:\n  - name: h1\n    endpoint: default\n");
  dir.Write("web.json",
            "{\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"web\", "
            "\"image\": \"" +
                image + "\", \"memory\": 64}]}\n");
}

}  // namespace

TEST_CASE("validate --var-file and --template-env fill templates; others stay unread",
          "[cli][template]") {
  TempDir dir;
  TempDir operator_dir;  // the var file lives outside the source
  operator_dir.Write("vars.env", "REGISTRY=registry.example\n");
  WriteSource(dir, "{{ must_env `REGISTRY` }}/web:{{ must_env `TAG` }}");
  const std::string vars = " --var-file " + operator_dir.path() + "/vars.env ";

  CommandRun ok = RunCommand("TAG=1.27 " + std::string(STOWAGE_BINARY) + " validate" + vars +
                             "--template-env TAG --template-env 'APP_*' " + dir.path());
  CHECK(ok.exit_code == 0);

  CommandRun refused = RunCommand("TAG=tag-from-env " + std::string(STOWAGE_BINARY) + " validate" +
                                  vars + dir.path());
  CHECK(refused.exit_code == 1);
  CHECK(refused.output.find("web.json:1:103: error: template: must_env TAG: no value: give it "
                            "in --var-file, or allow the environment variable with "
                            "--template-env TAG") != std::string::npos);
  CHECK(refused.output.find("tag-from-env") == std::string::npos);

  CommandRun own = RunStowage("validate --template-env STOWAGE_GIT_TOKEN " + dir.path());
  CHECK(own.exit_code == 1);
  CHECK(own.output.find("error: --template-env STOWAGE_GIT_TOKEN: a template could read "
                        "stowage's own variables") != std::string::npos);
}

}  // namespace stowage
