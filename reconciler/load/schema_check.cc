#include "load/schema_check.h"

#include <array>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "load/embedded_schemas.h"
#include "util/suggest.h"

namespace stowage::load {
namespace {

using Json = nlohmann::json;

// One kind's schema: the JSON text (for walking and wording) and its compiled form.
struct KindSchema {
  Json root;
  std::map<std::string, const Json*> refs;  // "#/definitions/x" -> node
  valijson::Schema compiled;
  std::string problem;  // non-empty when the embedded schema could not be compiled
};

const char* SchemaFile(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kTaskDefinition:
      return "task-definition.schema.json";
    case DocumentKind::kService:
      return "service.schema.json";
    case DocumentKind::kCluster:
      return "cluster.schema.json";
  }
  return "";
}

void Compile(DocumentKind kind, KindSchema& out) {
  const auto& all = schema::Embedded();
  auto it = all.find(SchemaFile(kind));
  if (it == all.end()) {
    out.problem = std::string("schema ") + SchemaFile(kind) + " is not embedded";
    return;
  }
  try {
    out.root = Json::parse(it->second);
    if (auto defs = out.root.find("definitions"); defs != out.root.end()) {
      for (auto d = defs->begin(); d != defs->end(); ++d) {
        out.refs["#/definitions/" + d.key()] = &d.value();
      }
    }
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(out.root);
    parser.populateSchema(adapter, out.compiled);
  } catch (const std::exception& e) {
    out.problem = std::string("schema ") + SchemaFile(kind) + ": " + e.what();
  }
}

const KindSchema& SchemaFor(DocumentKind kind) {
  static const std::array<std::unique_ptr<KindSchema>, 3> kSchemas = [] {
    std::array<std::unique_ptr<KindSchema>, 3> out;
    for (int i = 0; i < 3; ++i) {
      out[static_cast<size_t>(i)] = std::make_unique<KindSchema>();
      Compile(static_cast<DocumentKind>(i), *out[static_cast<size_t>(i)]);
    }
    return out;
  }();
  return *kSchemas[static_cast<size_t>(kind)];
}

const Json& EmptySchema() {
  static const Json kEmpty = Json::object();
  return kEmpty;
}

// Follows local "$ref"s ("#/definitions/x").
const Json& Resolve(const KindSchema& ks, const Json& node) {
  const Json* n = &node;
  for (int hops = 0; hops < 8 && n->is_object(); ++hops) {
    auto ref = n->find("$ref");
    if (ref == n->end() || !ref->is_string()) break;
    auto target = ks.refs.find(ref->get<std::string>());
    if (target == ks.refs.end()) break;
    n = target->second;
  }
  return *n;
}

const Json* Child(const Json& node, const char* key) {
  if (!node.is_object()) return nullptr;
  auto it = node.find(key);
  return it == node.end() ? nullptr : &*it;
}

std::string SingleType(const Json& schema) {
  const Json* t = Child(schema, "type");
  return t && t->is_string() ? t->get<std::string>() : std::string();
}

std::string JoinPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// A scalar as valijson should see it, with the ECS spelling rules applied.
Json ScalarJson(const Value& v, const std::string& want) {
  using K = Value::Kind;
  if ((want == "integer" || want == "number") && v.kind == K::kString && v.IsNumericString()) {
    if (auto i = v.ToInteger()) return *i;
    return *v.ToDouble();
  }
  if (want == "string" && (v.kind == K::kNumber || v.kind == K::kBool)) return v.text;
  switch (v.kind) {
    case K::kNull:
      return nullptr;
    case K::kBool:
      return v.AsBool();
    case K::kNumber:
      if (auto i = v.ToInteger()) return *i;
      if (auto d = v.ToDouble()) return *d;
      return v.text;  // out of range: stays text, and fails any number check
    case K::kString:
      return v.text;
    default:
      return nullptr;
  }
}

// Where the walk is, as a chain of keys and indices; turned into text
// ("containerDefinitions[0].image") only for a diagnostic.
struct PathNode {
  const PathNode* parent = nullptr;
  const std::string* key = nullptr;  // null: an array index
  size_t index = 0;
};

std::string PathText(const PathNode* node) {
  if (!node) return "";
  std::string out = PathText(node->parent);
  if (!node->key) return out + "[" + std::to_string(node->index) + "]";
  return out.empty() ? *node->key : out + "." + *node->key;
}

// Step 1: the walk (unknown and ignored fields, spelling rules) producing valijson's input.
class Walker {
 public:
  Walker(const KindSchema& ks, Diagnostics& diags) : ks_(ks), diags_(diags) {}
  bool ok() const { return ok_; }

  Json Walk(const Value& v, const Json& schema_node, const PathNode* path) {
    const Json& s = Resolve(ks_, schema_node);
    if (v.IsObject()) return WalkObject(v, s, path);
    if (v.IsArray()) {
      const Json* items = Child(s, "items");
      Json out = Json::array();
      for (size_t i = 0; i < v.items.size(); ++i) {
        const PathNode item{path, nullptr, i};
        out.push_back(
            Walk(v.items[i], items && items->is_object() ? *items : EmptySchema(), &item));
      }
      return out;
    }
    return ScalarJson(v, SingleType(s));
  }

 private:
  Json WalkObject(const Value& v, const Json& s, const PathNode* path) {
    const Json* props = Child(s, "properties");
    const Json* additional = Child(s, "additionalProperties");
    Json out = Json::object();
    for (const auto& m : v.members) {
      const PathNode here{path, &m.key, 0};
      const Json* sub = props ? Child(*props, m.key.c_str()) : nullptr;
      if (sub) {
        const Json& rs = Resolve(ks_, *sub);
        if (const Json* mark = Child(rs, "x-stowage"); mark && Child(*mark, "ignored")) {
          const Json* reason = Child(*mark, "ignored");
          diags_.Warning(m.key_loc.ToPosition(),
                         PathText(&here) + " is ignored (" +
                             (reason->is_string() ? reason->get<std::string>() : "") + ")");
          continue;
        }
        out[m.key] = Walk(m.value, rs, &here);
      } else if (additional && additional->is_object()) {
        out[m.key] = Walk(m.value, *additional, &here);
      } else if (additional && additional->is_boolean() && !additional->get<bool>()) {
        ReportUnknown(m, props, path);
      } else {
        out[m.key] = Walk(m.value, EmptySchema(), &here);
      }
    }
    return out;
  }

  void ReportUnknown(const Member& m, const Json* props, const PathNode* path) {
    std::vector<std::string> names;
    if (props) {
      for (auto it = props->begin(); it != props->end(); ++it) names.push_back(it.key());
    }
    std::string message = "unknown field \"" + m.key + "\"";
    if (path) message += " in " + PathText(path);
    if (auto s = ClosestMatch(m.key, names)) message += " (did you mean \"" + *s + "\"?)";
    diags_.Error(m.key_loc.ToPosition(), message);
    ok_ = false;
  }

  const KindSchema& ks_;
  Diagnostics& diags_;
  bool ok_ = true;
};

// --- Step 2: valijson's errors, in plain words at the right place ------------------

std::string NumberText(const Json& n) {
  if (n.is_number_integer()) return std::to_string(n.get<long long>());
  return n.dump();
}

std::string TypeWord(const std::string& t) {
  if (t == "integer") return "an integer";
  if (t == "number") return "a number";
  if (t == "string") return "a string";
  if (t == "boolean") return "true or false";
  if (t == "array") return "an array";
  if (t == "object") return "an object";
  if (t == "null") return "null";
  return t;
}

std::string RangeWords(const Json& s) {
  const Json* min = Child(s, "minimum");
  const Json* max = Child(s, "maximum");
  if (min && max) return " between " + NumberText(*min) + " and " + NumberText(*max);
  if (min) return " \u2265 " + NumberText(*min);
  if (max) return " \u2264 " + NumberText(*max);
  return "";
}

std::string StringWords(const Json& s) {
  const Json* min = Child(s, "minLength");
  const Json* max = Child(s, "maxLength");
  if (max) {
    return "a string of " + std::string(min ? "1 to " : "at most ") + NumberText(*max) +
           " characters";
  }
  if (min) return "a non-empty string";
  return "a string";
}

// "an integer ≥ 0", "one of "tcp", "udp"", or the schema's own x-expected.
std::string Expected(const Json& s) {
  if (const Json* x = Child(s, "x-expected"); x && x->is_string()) return x->get<std::string>();
  if (const Json* c = Child(s, "const")) return c->dump();
  if (const Json* e = Child(s, "enum"); e && e->is_array()) {
    std::string out = "one of ";
    for (size_t i = 0; i < e->size(); ++i) out += (i ? ", " : "") + (*e)[i].dump();
    return out;
  }
  const Json* t = Child(s, "type");
  if (!t) return "a valid value";
  if (t->is_array()) {
    std::string out;
    for (size_t i = 0; i < t->size(); ++i) {
      out += (i ? " or " : "") + TypeWord((*t)[i].get<std::string>());
    }
    return out;
  }
  const std::string type = t->get<std::string>();
  if (type == "integer" || type == "number") return TypeWord(type) + RangeWords(s);
  if (type == "string") return StringWords(s);
  if (type == "array" && Child(s, "minItems")) return "a non-empty array";
  return TypeWord(type);
}

struct Located {
  const Value* value = nullptr;
  const Json* schema = nullptr;
  std::string path;
};

// Follows valijson's context ("<root>", "[containerDefinitions]", "[0]") through the
// document and the schema together.
Located Locate(const KindSchema& ks, const Value& doc, const std::vector<std::string>& context) {
  Located at{&doc, &Resolve(ks, ks.root), ""};
  for (size_t i = 1; i < context.size() && at.value; ++i) {
    const std::string& seg = context[i];
    if (seg.size() < 2) break;
    const std::string key = seg.substr(1, seg.size() - 2);
    const Json* next = nullptr;
    if (at.value->IsArray()) {
      auto index = ParseInteger(key);
      if (!index || *index < 0 || static_cast<size_t>(*index) >= at.value->items.size()) break;
      at.value = &at.value->items[static_cast<size_t>(*index)];
      at.path += "[" + key + "]";
      next = Child(*at.schema, "items");
    } else {
      at.value = at.value->Find(key);
      at.path = JoinPath(at.path, key);
      const Json* props = Child(*at.schema, "properties");
      next = props ? Child(*props, key.c_str()) : nullptr;
      if (!next) next = Child(*at.schema, "additionalProperties");
    }
    at.schema = next && next->is_object() ? &Resolve(ks, *next) : &EmptySchema();
  }
  return at;
}

bool IsPrefix(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return a.size() < b.size() && std::equal(a.begin(), a.end(), b.begin());
}

constexpr std::string_view kMissing = "Missing required property '";

void ReportValidation(const KindSchema& ks, const Value& doc,
                      const valijson::ValidationResults& results, Diagnostics& diags) {
  std::vector<valijson::ValidationResults::Error> errors(results.begin(), results.end());
  std::set<std::vector<std::string>> explained;  // contexts already reported
  for (const auto& e : errors) {
    if (e.description.rfind(kMissing, 0) != 0) continue;
    const std::string field = e.description.substr(
        kMissing.size(), e.description.find('\'', kMissing.size()) - kMissing.size());
    Located at = Locate(ks, doc, e.context);
    if (!at.value) continue;
    diags.Error(at.value->loc.ToPosition(), (at.path.empty() ? "" : at.path + ": ") +
                                                "missing required field \"" + field + "\"");
    explained.insert(e.context);
  }
  for (const auto& e : errors) {
    if (e.description.rfind(kMissing, 0) == 0 || explained.count(e.context)) continue;
    const bool has_deeper = std::any_of(errors.begin(), errors.end(), [&](const auto& other) {
      return IsPrefix(e.context, other.context);
    });
    if (has_deeper) continue;
    explained.insert(e.context);
    Located at = Locate(ks, doc, e.context);
    if (!at.value) continue;
    diags.Error(at.value->loc.ToPosition(), (at.path.empty() ? "" : at.path + ": ") + "expected " +
                                                Expected(*at.schema) + ", got " +
                                                at.value->Describe());
  }
}

}  // namespace

const char* DocumentKindName(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kTaskDefinition:
      return "task definition";
    case DocumentKind::kService:
      return "service";
    case DocumentKind::kCluster:
      return "cluster";
  }
  return "document";
}

bool CheckSchema(DocumentKind kind, const Value& doc, Diagnostics& diags) {
  const KindSchema& ks = SchemaFor(kind);
  if (!ks.problem.empty()) {
    diags.Error(doc.loc.ToPosition(), "internal error: " + ks.problem);
    return false;
  }
  Walker walker(ks, diags);
  const Json input = walker.Walk(doc, ks.root, nullptr);
  thread_local valijson::Validator validator;
  valijson::adapters::NlohmannJsonAdapter adapter(input);
  if (validator.validate(ks.compiled, adapter, nullptr)) return walker.ok();
  valijson::ValidationResults results;
  validator.validate(ks.compiled, adapter, &results);
  const int before = diags.errors();
  ReportValidation(ks, doc, results, diags);
  if (diags.errors() == before) {
    diags.Error(doc.loc.ToPosition(),
                std::string("does not match the ") + DocumentKindName(kind) + " schema");
  }
  return false;
}

}  // namespace stowage::load
