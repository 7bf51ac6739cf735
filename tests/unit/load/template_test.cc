#include "load/template.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "load/load_source.h"

namespace stowage::load {
namespace {

// The stowage machine's environment in these tests: a secret among others.
const char* FakeEnv(const char* name) {
  static const std::map<std::string, std::string> env = {
      {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-secret"},
      {"STOWAGE_GIT_TOKEN", "ghp-token-secret"},
      {"IMAGE_TAG", "1.27"},
      {"APP_LEVEL", "debug"},
      {"APP_MULTI", "one\ntwo"},
  };
  auto it = env.find(name);
  return it == env.end() ? nullptr : it->second.c_str();
}

TemplateValues Values(std::map<std::string, std::string> vars = {},
                      std::vector<std::string> allowed = {}) {
  return TemplateValues(std::move(vars), std::move(allowed), FakeEnv);
}

struct Run {
  std::optional<ExpandedText> out;
  Diagnostics diags;
  std::string Messages() const {
    std::string all;
    for (const auto& d : diags.items()) all += FormatDiagnostic(d) + "\n";
    return all;
  }
};

Run Expand(std::string_view text, const TemplateValues& values,
           ColumnUnit unit = ColumnUnit::kCharacters) {
  Run r;
  r.out = ExpandTemplates(text, "td.json", unit, values, r.diags);
  return r;
}

}  // namespace

TEST_CASE("templates: must_env and env are filled from --var-file first", "[template]") {
  Run r = Expand("a: {{ must_env `IMAGE_TAG` }}\nb: {{ env \"LEVEL\" `info` }}\n",
                 Values({{"IMAGE_TAG", "1.25"}}, {"IMAGE_TAG", "LEVEL"}));
  REQUIRE(r.out);
  CHECK(r.out->text == "a: 1.25\nb: info\n");
  CHECK(r.diags.items().empty());
}

TEST_CASE("templates: the environment only for names the operator allowed", "[template]") {
  Run allowed = Expand("{{ must_env `IMAGE_TAG` }} {{ env `APP_LEVEL` `x` }}",
                       Values({}, {"IMAGE_TAG", "APP_*"}));
  REQUIRE(allowed.out);
  CHECK(allowed.out->text == "1.27 debug");

  for (const char* name : {"AWS_SECRET_ACCESS_KEY", "STOWAGE_GIT_TOKEN"}) {
    for (const std::string& text : {std::string("{{ must_env `") + name + "` }}",
                                    std::string("{{ env `") + name + "` `fallback` }}"}) {
      // Not allowed, or allowed through a prefix that would reach STOWAGE_*.
      Run r = Expand(text, Values({}, {"AWS_ACCESS_KEY_ID", "STOWAGE_*"}));
      CHECK_FALSE(r.out);
      REQUIRE(r.diags.errors() == 1);
      const std::string m = r.Messages();
      CHECK(m.find("secret") == std::string::npos);
      CHECK(m.find("fallback") == std::string::npos);
      const std::string hint =
          std::string(name) == "STOWAGE_GIT_TOKEN"
              ? std::string(
                    ": no value: give it in --var-file (stowage's own variables are "
                    "never read from the environment)")
              : ": no value: give it in --var-file, or allow the environment variable with "
                "--template-env " +
                    std::string(name);
      CHECK(m.find(std::string(name) + hint) != std::string::npos);
    }
  }
}

TEST_CASE("templates: a missing must_env is an error at its place", "[template]") {
  Run r = Expand("{\n  \"image\": \"nginx:{{ must_env `TAG` }}\"\n}", Values({}, {"TAG"}));
  CHECK_FALSE(r.out);
  CHECK(r.Messages() ==
        "td.json:2:22: error: template: must_env TAG: the environment variable is not set and "
        "--var-file does not give it\n");
  Run unset_env = Expand("x: {{ env `TAG` `latest` }}", Values({}, {"TAG"}));
  REQUIRE(unset_env.out);
  CHECK(unset_env.out->text == "x: latest");
}

TEST_CASE("templates: other functions and actions are not supported", "[template]") {
  const std::string filled =
      " (stowage fills only {{ must_env `NAME` }} and {{ env `NAME` `default` }})\n";
  CHECK(Expand("  {{ tfstate `aws_lb.main.arn` }}", Values()).Messages() ==
        "td.json:1:6: error: template function tfstate is not supported" + filled);
  CHECK(Expand("{{ssm `/app/db`}}", Values()).Messages() ==
        "td.json:1:3: error: template function ssm is not supported" + filled);
  CHECK(Expand("{{ must_env `A` | json_escape }}", Values({{"A", "x"}})).Messages() ==
        "td.json:1:19: error: template function json_escape is not supported" + filled);
  CHECK(Expand("{{ .Cluster }}", Values()).Messages() ==
        "td.json:1:4: error: template: unsupported action" + filled.substr(0, filled.size() - 1) +
            "\n");
}

TEST_CASE("templates: malformed actions are errors at their place", "[template]") {
  CHECK(Expand("ok\n  image: {{ must_env `TAG`\n", Values()).Messages() ==
        "td.json:2:10: error: template: no closing \"}}\" on this line (an action ends on its "
        "line)\n");
  CHECK(Expand("{{ must_env `TAG }}", Values()).Messages() ==
        "td.json:1:13: error: template: unterminated string in action\n");
  CHECK(Expand("{{ must_env }}", Values()).Messages() ==
        "td.json:1:4: error: template: must_env expects one name: {{ must_env `NAME` }}\n");
  CHECK(Expand("{{ env `A` }}", Values()).Messages() ==
        "td.json:1:4: error: template: env expects a name and a default: {{ env `NAME` "
        "`default` }}\n");
  CHECK(Expand("{{- must_env `A` }}", Values()).Messages() ==
        "td.json:1:1: error: template: trim markers ({{- and -}}) are not supported\n");
  CHECK(Expand("{{ must_env `A\x1b[31m` }}", Values()).Messages() ==
        "td.json:1:13: error: template: \"A\\x1b[31m\" is not a variable name (letters, digits "
        "and '_')\n");
  // Every error of the file is reported, not only the first.
  CHECK(Expand("{{ tfstate `a` }} {{ ssm `b` }}\n{{ }}", Values()).diags.errors() == 3);
}

TEST_CASE("templates: values stay on their line and within bounds", "[template]") {
  Run multi = Expand("{{ env `APP_MULTI` `x` }}", Values({}, {"APP_*"}));
  CHECK_FALSE(multi.out);
  CHECK(multi.Messages() ==
        "td.json:1:4: error: template: the value of APP_MULTI holds a line break (a value is "
        "one line)\n");
  CHECK(multi.Messages().find("two") == std::string::npos);
  Run big = Expand("{{ must_env `BIG` }}", Values({{"BIG", std::string(70000, 'x')}}));
  CHECK(big.Messages() ==
        "td.json:1:4: error: template: the value of BIG is longer than 65536 bytes\n");
}

TEST_CASE("templates: a string literal writes itself, a comment nothing", "[template]") {
  Run r = Expand("cmd: echo {{ \"{{\" }}.Name}} {{/* note */}}done", Values());
  REQUIRE(r.out);
  CHECK(r.out->text == "cmd: echo {{.Name}} done");
}

TEST_CASE("templates: positions after an action are those of the written text", "[template]") {
  const std::string text =
      "{\n  \"family\": \"app\",\n  \"containerDefinitions\": [{\"name\": \"web\", \"image\": "
      "\"{{ must_env `TAG` }}\", \"bogus\": 1, \"memory\": 64}]\n}\n";
  LoadedSource loaded;
  LoadFileText("td.json", text, "", loaded, Values({{"TAG", "nginx:1.27-éé"}}));
  REQUIRE(loaded.diagnostics.errors() == 1);
  const Diagnostic& d = loaded.diagnostics.items().front();
  CHECK(d.message == "unknown field \"bogus\" in containerDefinitions[0]");
  const std::string line3 = text.substr(text.find("  \"containerDefinitions\""));
  CHECK(d.position.line == 3);
  CHECK(d.position.column == static_cast<int>(line3.find("\"bogus\"")) + 1);

  // A syntax error after an action, in a YAML file (yaml-cpp counts bytes).
  LoadedSource yaml;
  LoadFileText("td.yaml", "family: {{ env `F` `é` }} [\n", "", yaml, Values());
  REQUIRE(yaml.diagnostics.errors() == 1);
  CHECK(FormatDiagnostic(yaml.diagnostics.items().front()).rfind("td.yaml:1:", 0) == 0);
}

TEST_CASE("templates: RestorePositions maps columns back", "[template]") {
  // `{{ env `A` `x` }}` (17 columns) at 5 became `value` (5) at 5; then
  // `{{ must_env `B` }}` (18) at 30 became `y` (1) at 18.
  std::vector<TemplateEdit> edits = {{2, 5, 17, 5, 5}, {2, 30, 18, 18, 1}};
  Diagnostics diags;
  diags.Error(Position{"f", 2, 3}, "before");
  diags.Error(Position{"f", 2, 7}, "inside the first value");
  diags.Error(Position{"f", 2, 12}, "between");
  diags.Error(Position{"f", 2, 20}, "after both");
  diags.Error(Position{"f", 3, 20}, "another line");
  Diagnostics out = RestorePositions(edits, diags);
  std::vector<int> columns;
  for (const auto& d : out.items()) columns.push_back(d.position.column);
  CHECK(columns == std::vector<int>{3, 5, 24, 49, 20});
}

TEST_CASE("var files: KEY=value lines", "[template]") {
  auto vars = ParseVarFile("# comment\n\nA=1\nB = two words \nC=\"quoted=x\"\r\nD=\n", "v.env");
  REQUIRE(vars.ok());
  CHECK(*vars == std::map<std::string, std::string>{
                     {"A", "1"}, {"B", "two words"}, {"C", "quoted=x"}, {"D", ""}});
  CHECK(ParseVarFile("A=1\nnot a pair\n", "v.env").status().message() ==
        "--var-file v.env:2: expected KEY=value (KEY: letters, digits and '_')");
  CHECK(ParseVarFile("A=1\nA=2\n", "v.env").status().message() ==
        "--var-file v.env:2: A is given twice");
}

TEST_CASE("template-env entries: names and prefixes, never stowage's own", "[template]") {
  CHECK(CheckTemplateEnv("IMAGE_TAG").ok());
  CHECK(CheckTemplateEnv("APP_*").ok());
  for (const char* entry : {"*", "S*", "STOWAGE_*", "STOWAGE_GIT_TOKEN", "STOWAGE_X*"}) {
    CHECK(CheckTemplateEnv(entry).message() ==
          "--template-env " + std::string(entry) +
              ": a template could read stowage's own variables (STOWAGE_*, such as "
              "STOWAGE_GIT_TOKEN) through it; name the variables the documents use");
  }
  CHECK(CheckTemplateEnv("A-B").message() ==
        "--template-env \"A-B\": expected a variable name (letters, digits, '_') or a prefix "
        "followed by '*'");
}

}  // namespace stowage::load

namespace stowage::load {

TEST_CASE("templates: tests/ecs's ecspresso files filled from a var file", "[template]") {
  const TemplateValues values(
      {{"AWS_ACCOUNT_ID", "123456789012"}, {"IMAGE_TAG", "v1.4.2"}, {"LOG_LEVEL", "debug"}},
      {"APP_ENV", "DESIRED_*"}, [](const char* name) -> const char* {
        return std::string(name) == "APP_ENV" ? "staging" : nullptr;
      });
  LoadedSource loaded;
  for (const char* file : {"ecspresso-task-def.json", "ecspresso-service-def.json"}) {
    std::ifstream in(std::string(STOWAGE_SOURCE_DIR "/tests/ecs/") + file);
    std::ostringstream text;
    text << in.rdbuf();
    LoadFileText(file, text.str(), "", loaded, values);
  }
  std::string shown;
  for (const auto& d : loaded.diagnostics.items()) shown += FormatDiagnostic(d) + "\n";
  INFO(shown);
  REQUIRE(loaded.diagnostics.errors() == 0);
  REQUIRE(loaded.state.task_definitions.size() == 1);
  const auto& td = loaded.state.task_definitions.front();
  CHECK(td.family == "api-staging");
  CHECK(td.containers.at(0).image ==
        "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/api:v1.4.2");
  CHECK(td.containers.at(0).environment.at(1).value == "debug");
  CHECK(td.containers.at(0).environment.at(2).value == "/healthz");
  REQUIRE(loaded.state.services.size() == 1);
  CHECK(loaded.state.services.front().name == "api-staging");
  CHECK(loaded.state.services.front().desired_count == 2);  // the default
}

TEST_CASE("templates: each variable used is recorded as a digest, never its value", "[template]") {
  const std::string text = "a: {{ must_env `IMAGE_TAG` }}\nb: {{ env `LEVEL` `info` }}\n";
  Run r = Expand(text, Values({{"IMAGE_TAG", "1.25"}}, {"LEVEL"}));
  REQUIRE(r.out);
  REQUIRE(r.out->used.size() == 2);
  CHECK(r.out->used.at("LEVEL") == "unset");
  const std::string tag = r.out->used.at("IMAGE_TAG");
  CHECK(tag.rfind("sha256=", 0) == 0);
  CHECK(tag.size() == 7 + 64);
  CHECK(tag.find("1.25") == std::string::npos);

  // The same values give the same digests; another value another one.
  CHECK(Expand(text, Values({{"IMAGE_TAG", "1.25"}}, {"LEVEL"})).out->used == r.out->used);
  Run other = Expand(text, Values({{"IMAGE_TAG", "1.26"}, {"LEVEL", "info"}}, {"LEVEL"}));
  REQUIRE(other.out);
  CHECK(ChangedTemplateValues(r.out->used, other.out->used) ==
        std::vector<std::string>{"IMAGE_TAG", "LEVEL"});
  // NAME=VALUE is what is digested: the same value under another name differs.
  CHECK(TemplateValueDigest("A", {TemplateLookup::Kind::kFound, "x"}) !=
        TemplateValueDigest("B", {TemplateLookup::Kind::kFound, "x"}));
  CHECK(ChangedTemplateValues({{"A", "unset"}}, {{"B", "unset"}}) ==
        std::vector<std::string>{"A", "B"});
}

}  // namespace stowage::load
