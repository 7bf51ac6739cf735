// Docs move with code: every field the schemas define is described in
// stowage-files(5), so a field added to a schema without documentation fails.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace stowage {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void CollectFields(const nlohmann::json& node, const nlohmann::json& root,
                   std::set<std::string>& out) {
  if (!node.is_object()) return;
  if (node.contains("$ref")) {
    const std::string ref = node["$ref"];
    const std::string name = ref.substr(ref.rfind('/') + 1);
    if (root.contains("definitions") && root["definitions"].contains(name)) {
      CollectFields(root["definitions"][name], root, out);
    }
    return;
  }
  if (node.contains("properties")) {
    for (const auto& [key, value] : node["properties"].items()) {
      if (out.insert(key).second) CollectFields(value, root, out);
    }
  }
  for (const char* nested : {"items", "additionalProperties"}) {
    if (node.contains(nested)) CollectFields(node[nested], root, out);
  }
}

}  // namespace

TEST_CASE("stowage-files(5) describes every schema field", "[docs]") {
  const std::string root = STOWAGE_SOURCE_DIR;
  const std::string page = ReadFile(root + "/man/stowage-files.5");
  REQUIRE_FALSE(page.empty());
  for (const char* schema : {"task-definition", "service", "cluster"}) {
    const auto json = nlohmann::json::parse(ReadFile(root + "/schema/" + schema + ".schema.json"));
    std::set<std::string> fields;
    CollectFields(json, json, fields);
    CHECK(fields.size() > 5);
    for (const auto& field : fields) {
      INFO(schema << " field " << field);
      CHECK(page.find(field) != std::string::npos);
    }
  }
}

}  // namespace stowage
