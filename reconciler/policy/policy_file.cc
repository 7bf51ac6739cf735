// Reading the policy file: YAML, every problem at file:line:col.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "load/parse.h"
#include "policy/endpoint_pattern.h"
#include "policy/policy.h"
#include "policy/rules.h"
#include "util/printable.h"

namespace stowage::policy {
namespace {

using load::Value;

class Reader {
 public:
  Reader(Diagnostics& diags) : diags_(diags) {}

  void Fail(const Value& at, const std::string& message) {
    diags_.Error(at.loc.ToPosition(), message);
  }

  // Every key of `object` is one of `known`.
  bool Keys(const Value& object, const std::string& where,
            std::initializer_list<const char*> known) {
    if (!object.IsObject()) {
      Fail(object, where + ": expected a mapping, got " + object.Describe());
      return false;
    }
    bool ok = true;
    for (const auto& m : object.members) {
      if (std::none_of(known.begin(), known.end(), [&](const char* k) { return m.key == k; })) {
        std::string names;
        for (const char* k : known) names += std::string(names.empty() ? "" : ", ") + k;
        diags_.Error(m.key_loc.ToPosition(), (where.empty() ? "" : where + ": ") +
                                                 "unknown field \"" + Printable(m.key) +
                                                 "\" (expected one of " + names + ")");
        ok = false;
      }
    }
    return ok;
  }

  std::vector<std::string> Strings(const Value* v, const std::string& where) {
    std::vector<std::string> out;
    if (v == nullptr || v->IsNull()) return out;
    if (!v->IsArray()) {
      Fail(*v, where + ": expected a list of strings, got " + v->Describe());
      return out;
    }
    for (const auto& item : v->items) {
      if (!item.IsScalar() || item.IsNull() || item.text.empty()) {
        Fail(item, where + ": expected a non-empty string, got " + item.Describe());
      } else {
        out.push_back(item.text);
      }
    }
    return out;
  }

 private:
  Diagnostics& diags_;
};

void ReadHostPaths(const Value* v, Reader& r, Policy& p) {
  if (v == nullptr || v->IsNull()) return;
  if (!v->IsArray()) return r.Fail(*v, "allow.hostPaths: expected a list, got " + v->Describe());
  for (const auto& item : v->items) {
    if (!r.Keys(item, "allow.hostPaths", {"path", "readOnly"})) continue;
    const Value* path = item.Find("path");
    if (path == nullptr || !path->IsScalar() || path->text.empty() || path->text[0] != '/') {
      r.Fail(path ? *path : item, "allow.hostPaths: path: expected an absolute path" +
                                      (path ? ", got " + path->Describe() : std::string()));
      continue;
    }
    const Value* ro = item.Find("readOnly");
    if (ro && ro->kind != Value::Kind::kBool) {
      r.Fail(*ro, "allow.hostPaths: readOnly: expected true or false, got " + ro->Describe());
      continue;
    }
    p.host_paths.push_back({NormalHostPath(path->text), ro && ro->AsBool()});
  }
}

void ReadAllow(const Value* v, Reader& r, Policy& p) {
  if (v == nullptr || v->IsNull()) return;
  if (!r.Keys(*v, "allow", {"hostPaths", "capabilities", "images", "endpoints"})) return;
  ReadHostPaths(v->Find("hostPaths"), r, p);
  for (auto& c : r.Strings(v->Find("capabilities"), "allow.capabilities")) {
    p.capabilities.push_back(NormalCapability(c));
  }
  p.images = r.Strings(v->Find("images"), "allow.images");
  p.endpoints = r.Strings(v->Find("endpoints"), "allow.endpoints");
  const Value* endpoints = v->Find("endpoints");
  for (size_t i = 0; endpoints && endpoints->IsArray() && i < endpoints->items.size(); ++i) {
    const Value& item = endpoints->items[i];
    if (!item.IsScalar() || item.text.empty()) continue;  // reported by Strings
    if (auto pattern = ParseEndpointPattern(item.text); !pattern.ok()) {
      r.Fail(item, "allow.endpoints: " + pattern.status().message());
    }
  }
}

void ReadExceptions(const Value* v, Reader& r, Policy& p) {
  if (v == nullptr || v->IsNull()) return;
  if (!v->IsArray()) return r.Fail(*v, "exceptions: expected a list, got " + v->Describe());
  for (const auto& item : v->items) {
    if (!r.Keys(item, "exceptions", {"service", "family", "allow"})) continue;
    Exception e;
    const Value* service = item.Find("service");
    const Value* family = item.Find("family");
    if ((service == nullptr) == (family == nullptr)) {
      r.Fail(item, "exceptions: name either a service or a family");
      continue;
    }
    (service ? e.service : e.family) = (service ? service : family)->text;
    const Value* allow = item.Find("allow");
    if (allow == nullptr) {
      r.Fail(item, "exceptions: missing field \"allow\" (the rules this one may break)");
      continue;
    }
    e.allow = r.Strings(allow, "exceptions: allow");
    for (size_t i = 0; i < e.allow.size() && allow->IsArray(); ++i) {
      if (e.allow[i] != "*" && !IsRuleName(e.allow[i])) {
        r.Fail(allow->items[i], "exceptions: allow: unknown rule \"" + Printable(e.allow[i]) +
                                    "\" (expected " + RuleNames() + " or \"*\")");
      }
    }
    p.exceptions.push_back(std::move(e));
  }
}

std::string FirstErrors(const Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.items()) out += (out.empty() ? "" : "\n") + FormatDiagnostic(d);
  return out;
}

}  // namespace

const char* LevelName(Level level) {
  switch (level) {
    case Level::kRestricted:
      return "restricted";
    case Level::kPrivileged:
      return "privileged";
    case Level::kBaseline:
      break;
  }
  return "baseline";
}

Result<Policy> ParsePolicy(const std::string& file, const std::string& text) {
  Diagnostics diags;
  // The parser picks YAML or JSON from the name; a policy is YAML (JSON is YAML).
  load::ParsedFile parsed = load::ParseFile(file, text, diags);
  Policy p;
  p.file = file;
  if (!diags.HasErrors() && parsed.documents.size() != 1) {
    diags.Error(Position{file, 0, 0},
                "expected one YAML document (level, allow, exceptions), got " +
                    std::to_string(parsed.documents.size()));
  }
  if (!diags.HasErrors()) {
    const Value& doc = parsed.documents.front();
    Reader r(diags);
    if (r.Keys(doc, "", {"level", "allow", "exceptions"})) {
      if (const Value* level = doc.Find("level")) {
        if (level->text == "baseline") {
          p.level = Level::kBaseline;
        } else if (level->text == "restricted") {
          p.level = Level::kRestricted;
        } else if (level->text == "privileged") {
          p.level = Level::kPrivileged;
        } else {
          r.Fail(*level,
                 "level: expected baseline, restricted or privileged, got " + level->Describe());
        }
      }
      ReadAllow(doc.Find("allow"), r, p);
      ReadExceptions(doc.Find("exceptions"), r, p);
    }
  }
  if (diags.HasErrors())
    return Status::Invalid("invalid policy " + file + "\n" + FirstErrors(diags));
  return p;
}

Result<Policy> LoadPolicy(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::NotFound("policy " + file + ": cannot read (not a regular file)");
  }
  if (static_cast<std::uint64_t>(st.st_size) > (1u << 20)) {
    return Status::Invalid("policy " + file + ": larger than 1 MiB");
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Status::Io("policy " + file + ": cannot read");
  return ParsePolicy(file, text.str());
}

Result<Policy> ResolvePolicy(const std::string& flag) {
  if (!flag.empty()) return LoadPolicy(flag);
  if (const char* env = std::getenv("STOWAGE_POLICY"); env != nullptr && *env != '\0') {
    return LoadPolicy(env);
  }
  std::error_code ec;
  if (std::filesystem::exists(kDefaultPolicyFile, ec)) return LoadPolicy(kDefaultPolicyFile);
  return Policy{};
}

}  // namespace stowage::policy
