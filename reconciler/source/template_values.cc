#include "source/template_values.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "crypto/signature.h"
#include "util/printable.h"

namespace stowage {
namespace {

constexpr std::string_view kOwnPrefix = "STOWAGE_";

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view Unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    return v.substr(1, v.size() - 2);
  }
  return v;
}

}  // namespace

TemplateValues::TemplateValues() : getenv_([](const char*) -> const char* { return nullptr; }) {}

TemplateValues::TemplateValues(std::map<std::string, std::string> vars,
                               std::vector<std::string> allowed, GetEnv getenv)
    : vars_(std::move(vars)), allowed_(std::move(allowed)), getenv_(std::move(getenv)) {}

bool TemplateValues::AllowsEnv(std::string_view name) const {
  if (StartsWith(name, kOwnPrefix)) return false;  // never, whatever was allowed
  for (const auto& entry : allowed_) {
    if (!entry.empty() && entry.back() == '*') {
      if (StartsWith(name, std::string_view(entry).substr(0, entry.size() - 1))) return true;
    } else if (entry == name) {
      return true;
    }
  }
  return false;
}

TemplateLookup TemplateValues::Lookup(const std::string& name) const {
  if (auto it = vars_.find(name); it != vars_.end()) {
    return {TemplateLookup::Kind::kFound, it->second};
  }
  if (!IsTemplateName(name) || !AllowsEnv(name)) return {TemplateLookup::Kind::kNotAllowed, {}};
  const char* value = getenv_(name.c_str());
  if (value == nullptr) return {TemplateLookup::Kind::kUnset, {}};
  return {TemplateLookup::Kind::kFound, value};
}

std::string TemplateValueDigest(std::string_view name, const TemplateLookup& found) {
  if (found.kind != TemplateLookup::Kind::kFound) return "unset";
  std::string pair(name);
  pair += '=';
  pair += found.value;
  return crypto::HubSignature("stowage template value", pair);
}

std::vector<std::string> ChangedTemplateValues(const std::map<std::string, std::string>& was,
                                               const std::map<std::string, std::string>& now) {
  std::vector<std::string> changed;
  for (const auto& [name, digest] : was) {
    auto it = now.find(name);
    if (it == now.end() || it->second != digest) changed.push_back(name);
  }
  for (const auto& [name, digest] : now) {
    if (was.count(name) == 0) changed.push_back(name);
  }
  std::sort(changed.begin(), changed.end());
  return changed;
}

bool IsTemplateName(std::string_view name) {
  if (name.empty() || name.size() > 255 || !IsNameStart(name.front())) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

Status CheckTemplateEnv(std::string_view entry) {
  const bool prefix = !entry.empty() && entry.back() == '*';
  const std::string_view name = prefix ? entry.substr(0, entry.size() - 1) : entry;
  if (!(prefix && name.empty()) && !IsTemplateName(name)) {
    return Status::Invalid("--template-env \"" + Printable(entry) +
                           "\": expected a variable name (letters, digits, '_') or a prefix "
                           "followed by '*'");
  }
  // A prefix of "STOWAGE_" (or "*" alone) would reach stowage's own variables.
  if (prefix ? StartsWith(kOwnPrefix, name) || StartsWith(name, kOwnPrefix)
             : StartsWith(name, kOwnPrefix)) {
    return Status::Invalid("--template-env " + std::string(entry) +
                           ": a template could read stowage's own variables (STOWAGE_*, such as "
                           "STOWAGE_GIT_TOKEN) through it; name the variables the documents use");
  }
  return Status::Ok();
}

Result<std::map<std::string, std::string>> ParseVarFile(std::string_view text,
                                                        const std::string& file) {
  std::map<std::string, std::string> vars;
  int line_no = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string where = "--var-file " + Printable(file) + ":" + std::to_string(line_no);
    const std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    const size_t eq = trimmed.find('=');
    const std::string_view key =
        eq == std::string_view::npos ? trimmed : Trim(trimmed.substr(0, eq));
    if (eq == std::string_view::npos || !IsTemplateName(key)) {
      return Status::Invalid(where + ": expected KEY=value (KEY: letters, digits and '_')");
    }
    if (vars.count(std::string(key)) != 0) {
      return Status::Invalid(where + ": " + std::string(key) + " is given twice");
    }
    vars.emplace(std::string(key), std::string(Unquote(Trim(trimmed.substr(eq + 1)))));
  }
  return vars;
}

Result<TemplateValues> MakeTemplateValues(const std::string& var_file,
                                          const std::vector<std::string>& template_env) {
  for (const auto& entry : template_env) {
    if (Status s = CheckTemplateEnv(entry); !s.ok()) return s;
  }
  std::map<std::string, std::string> vars;
  if (!var_file.empty()) {
    struct stat st {};
    const std::string shown = "--var-file " + Printable(var_file);
    if (::stat(var_file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return Status::NotFound(shown + ": cannot read (not a regular file)");
    }
    if (static_cast<std::uint64_t>(st.st_size) > kMaxVarFileBytes) {
      return Status::Invalid(shown + ": larger than 1 MiB");
    }
    std::ifstream in(var_file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) return Status::Io(shown + ": cannot read");
    auto parsed = ParseVarFile(text.str(), var_file);
    if (!parsed.ok()) return parsed.status();
    vars = std::move(*parsed);
  }
  return TemplateValues(std::move(vars), template_env,
                        [](const char* name) -> const char* { return std::getenv(name); });
}

}  // namespace stowage
