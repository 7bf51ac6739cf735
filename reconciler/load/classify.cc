#include "load/classify.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "util/suggest.h"

namespace stowage::load {
namespace {

std::optional<DocumentKind> ExplicitKind(const Value& kind, Diagnostics& diags) {
  if (kind.text == "TaskDefinition") return DocumentKind::kTaskDefinition;
  if (kind.text == "Service") return DocumentKind::kService;
  if (kind.text == "Cluster") return DocumentKind::kCluster;
  std::string message =
      "kind: expected one of \"TaskDefinition\", \"Service\", \"Cluster\", got " + kind.Describe();
  if (kind.IsString()) {
    if (auto s = ClosestMatch(kind.text, {"TaskDefinition", "Service", "Cluster"})) {
      message += " (did you mean \"" + *s + "\"?)";
    }
  }
  diags.Error(kind.loc.ToPosition(), message);
  return std::nullopt;
}

// {"taskDefinition": {...}, "tags": [...]} -> the inner object, with the wrapper's tags.
std::optional<Value> Unwrap(Value doc, Diagnostics& diags) {
  Value inner;
  const Member* tags = nullptr;
  bool ok = true;
  for (auto& m : doc.members) {
    if (m.key == "taskDefinition") {
      inner = std::move(m.value);
    } else if (m.key == "tags") {
      tags = &m;
    } else {
      std::string message = "unknown field \"" + m.key + "\" next to \"taskDefinition\"";
      if (auto s = ClosestMatch(m.key, {"taskDefinition", "tags"})) {
        message += " (did you mean \"" + *s + "\"?)";
      }
      diags.Error(m.key_loc.ToPosition(), message);
      ok = false;
    }
  }
  if (tags && !(tags->value.IsArray() && tags->value.items.empty())) {
    if (const Member* own = inner.FindMember("tags")) {
      diags.Error(tags->key_loc.ToPosition(),
                  "tags given twice (also inside taskDefinition, line " +
                      std::to_string(own->key_loc.line) + ")");
      ok = false;
    } else {
      inner.members.push_back(*tags);
    }
  }
  if (!ok) return std::nullopt;
  return inner;
}

// Console and CLI exports write absent optional fields as `null`
// ("taskRoleArn": null); YAML writes them as an empty `key:`. Both mean absent.
void DropNullMembers(Value& v) {
  std::erase_if(v.members, [](const Member& m) { return m.value.IsNull(); });
  for (auto& m : v.members) DropNullMembers(m.value);
  for (auto& item : v.items) DropNullMembers(item);
}

// Only `allowed` keys, and `key` holds a value of `kind`.
bool IsWrapper(const Value& doc, const char* key, Value::Kind kind,
               std::initializer_list<std::string_view> allowed) {
  const Value* inner = doc.Find(key);
  if (inner == nullptr || inner->kind != kind) return false;
  return std::all_of(doc.members.begin(), doc.members.end(), [&](const Member& m) {
    return std::find(allowed.begin(), allowed.end(), m.key) != allowed.end();
  });
}

}  // namespace

std::vector<Value> SplitServiceOutput(Value doc, Diagnostics& diags) {
  std::vector<Value> out;
  bool list =
      doc.IsObject() && IsWrapper(doc, "services", Value::Kind::kArray, {"services", "failures"});
  bool one = doc.IsObject() && IsWrapper(doc, "service", Value::Kind::kObject, {"service"});
  if (!list && !one) {
    out.push_back(std::move(doc));
    return out;
  }
  for (auto& m : doc.members) {
    if (m.key == "service") out.push_back(std::move(m.value));
    if (m.key == "services") {
      for (auto& item : m.value.items) out.push_back(std::move(item));
    }
    if (m.key == "failures" && m.value.IsArray() && !m.value.items.empty()) {
      diags.Warning(m.key_loc.ToPosition(),
                    "failures is ignored (" + std::to_string(m.value.items.size()) +
                        " services the describe-services call did not return)");
    }
  }
  return out;
}

std::optional<Classified> Classify(Value doc, Diagnostics& diags) {
  DropNullMembers(doc);
  if (!doc.IsObject()) {
    diags.Error(
        doc.loc.ToPosition(),
        std::string("expected an object (a task definition, a service or a cluster), got ") +
            (doc.IsScalar() ? doc.Describe() : Value::KindName(doc.kind)));
    return std::nullopt;
  }
  if (const Value* kind = doc.Find("kind")) {
    auto k = ExplicitKind(*kind, diags);
    if (!k) return std::nullopt;
    return Classified{*k, std::move(doc)};
  }
  const Value* td = doc.Find("taskDefinition");
  if (td && td->IsObject() && !doc.Find("serviceName")) {
    auto inner = Unwrap(std::move(doc), diags);
    if (!inner) return std::nullopt;
    return Classify(std::move(*inner), diags);
  }
  if (doc.Find("family") || doc.Find("containerDefinitions")) {
    return Classified{DocumentKind::kTaskDefinition, std::move(doc)};
  }
  if (doc.Find("serviceName") || td) return Classified{DocumentKind::kService, std::move(doc)};
  if (doc.Find("hosts")) return Classified{DocumentKind::kCluster, std::move(doc)};
  diags.Error(doc.loc.ToPosition(),
              "cannot tell what this document is: a task definition has \"family\" and "
              "\"containerDefinitions\", a service has \"serviceName\" and \"taskDefinition\", "
              "a cluster has \"kind: Cluster\"");
  return std::nullopt;
}

}  // namespace stowage::load
