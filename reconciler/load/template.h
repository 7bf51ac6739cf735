// Templates: ecspresso's `{{ must_env `NAME` }}` and `{{ env `NAME` `default` }}`
// filled in a document's text before it is parsed.
//
// Many ECS repositories keep their files as ecspresso templates. The values
// come from the operator (source/template_values.h: --var-file, and the
// environment only for allowed names), never from the machine at the
// source's will. Every `{{` starts an action, as in ecspresso; an action
// ends on its own line and a value holds no line break, so lines never move.
// Columns after an action on its line do move; the edits are recorded and
// RestorePositions maps what the parser saw back to what was written, so
// every later diagnostic points at the file as the author sees it. Other
// actions (`tfstate`, `ssm`, `json_escape`, `.Field`, ...) are errors at
// their place; a string literal (`{{ "{{" }}`) writes itself. Messages
// name variables, never their values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "load/value.h"
#include "source/template_values.h"

namespace stowage::load {

// How a parser counts columns: the JSON parser in characters, yaml-cpp in bytes.
enum class ColumnUnit { kCharacters, kBytes };

// One action replaced: on `line`, `written` columns from `column` became
// `length` columns from `expanded_column`.
struct TemplateEdit {
  int line = 0;
  int column = 0;
  int written = 0;
  int expanded_column = 0;
  int length = 0;
};

struct ExpandedText {
  std::string text;
  std::vector<TemplateEdit> edits;  // in text order
  // Every variable the text used: name -> TemplateValueDigest.
  std::map<std::string, std::string> used;
};

// True when `text` holds `{{` (only then is there anything to expand).
bool HasTemplates(std::string_view text);

// The text with every action filled; nothing when an action is in error
// (each reported at its file:line:col in `diags`). `unit`: how the parser
// that reads the text counts columns.
std::optional<ExpandedText> ExpandTemplates(std::string_view text, const std::string& file,
                                            ColumnUnit unit, const TemplateValues& values,
                                            Diagnostics& diags);

// Maps positions in the expanded text back to the written text: a position
// inside a filled value becomes the action's own.
void RestorePositions(const std::vector<TemplateEdit>& edits, Value& value);
Diagnostics RestorePositions(const std::vector<TemplateEdit>& edits, const Diagnostics& diags);

}  // namespace stowage::load
