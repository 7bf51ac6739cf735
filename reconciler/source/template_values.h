// TemplateValues: the operator's values for the templates in a source's documents.
//
// Documents may hold ecspresso-style templates (`{{ must_env `TAG` }}`,
// `{{ env `LEVEL` `info` }}`, filled by load/template.h). The source is
// untrusted (whoever can commit writes it), so a template never reads the
// stowage machine's environment at will: a name's value comes from the
// operator's `--var-file` (KEY=value lines, kept outside the source) first,
// and from the environment only when the operator allowed that name
// (`--template-env NAME`, or `--template-env PREFIX*` for every name that
// starts with PREFIX). Names that could reach stowage's own variables
// (`STOWAGE_*`) can never be allowed. Values are one line each.
//
// A saved plan (`plan -out`) records, for each variable the documents used, a
// digest of what the lookup found (TemplateValueDigest), never the value, so
// `apply PLANFILE` with other values is refused as stale, naming the variables.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace stowage {

inline constexpr std::size_t kMaxVarFileBytes = 1u << 20;     // 1 MiB
inline constexpr std::size_t kMaxTemplateValueBytes = 65536;  // one value

// What a lookup found: a value, nothing (allowed but unset), or a name the
// operator neither gave nor allowed (the environment was not read).
struct TemplateLookup {
  enum class Kind { kFound, kUnset, kNotAllowed } kind = Kind::kNotAllowed;
  std::string value;
};

class TemplateValues {
 public:
  // Reads the environment through `getenv` (tests pass their own).
  using GetEnv = std::function<const char*(const char*)>;

  TemplateValues();
  // `allowed`: names and PREFIX* entries, already checked (CheckTemplateEnv).
  TemplateValues(std::map<std::string, std::string> vars, std::vector<std::string> allowed,
                 GetEnv getenv);

  TemplateLookup Lookup(const std::string& name) const;
  bool AllowsEnv(std::string_view name) const;

 private:
  std::map<std::string, std::string> vars_;
  std::vector<std::string> allowed_;
  GetEnv getenv_;
};

// What a plan records for one variable the documents used: "unset" (the
// default was taken), else "sha256=" and the hex HMAC-SHA-256 of NAME=VALUE
// under a fixed key. Not a secret: the rendered documents are in the plan.
std::string TemplateValueDigest(std::string_view name, const TemplateLookup& found);

// The names whose digests differ between two records (a name in one only
// counts), sorted.
std::vector<std::string> ChangedTemplateValues(const std::map<std::string, std::string>& was,
                                               const std::map<std::string, std::string>& now);

// A template variable name: [A-Za-z_][A-Za-z0-9_]*, at most 255 characters.
bool IsTemplateName(std::string_view name);

// Checks one --template-env entry (NAME or PREFIX*).
Status CheckTemplateEnv(std::string_view entry);

// Parses a var file: `KEY=value` lines (value verbatim to the end of the line,
// one pair of surrounding "..." or '...' removed), blank lines and `#` comments
// ignored. Errors name `file:line`.
Result<std::map<std::string, std::string>> ParseVarFile(std::string_view text,
                                                        const std::string& file);

// The values the options name: reads `var_file` (when not empty; a regular
// file of at most 1 MiB) and checks every `template_env` entry.
Result<TemplateValues> MakeTemplateValues(const std::string& var_file,
                                          const std::vector<std::string>& template_env);

}  // namespace stowage
