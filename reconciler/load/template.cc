#include "load/template.h"

#include <algorithm>

#include "util/printable.h"

namespace stowage::load {
namespace {

constexpr std::string_view kFilled =
    "stowage fills only {{ must_env `NAME` }} and "
    "{{ env `NAME` `default` }}";

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The width of `s` in the parser's column unit.
int Width(std::string_view s, ColumnUnit unit) {
  if (unit == ColumnUnit::kBytes) return static_cast<int>(s.size());
  return static_cast<int>(
      std::count_if(s.begin(), s.end(), [](char c) { return !IsContinuation(c); }));
}

bool IsIdentStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

struct Token {
  enum class Kind { kEnd, kIdent, kString, kPipe } kind = Kind::kEnd;
  std::string text;  // identifier, or a string's content
  size_t at = 0;     // byte offset in the line
};

// One action on one line: `line` is the whole line, `pos` just after `{{`.
class Action {
 public:
  Action(std::string_view line, size_t open) : line_(line), open_(open), pos_(open + 2) {}

  // The next token; false (with `error_` and `error_at_` set) when malformed.
  bool Next(Token& t) {
    while (pos_ < line_.size() && (line_[pos_] == ' ' || line_[pos_] == '\t')) ++pos_;
    t = Token{};
    t.at = pos_;
    if (pos_ >= line_.size())
      return Fail(open_, "no closing \"}}\" on this line (an action ends on its line)");
    const char c = line_[pos_];
    if (line_.substr(pos_, 2) == "}}") {
      pos_ += 2;
      return true;  // kEnd
    }
    if (line_.substr(pos_, 3) == "-}}")
      return Fail(pos_, "trim markers ({{- and -}}) are not supported");
    if (c == '`' || c == '"') return String(t, c);
    if (c == '|') {
      ++pos_;
      t.kind = Token::Kind::kPipe;
      return true;
    }
    if (IsIdentStart(c)) {
      const size_t start = pos_;
      while (pos_ < line_.size() && IsIdentChar(line_[pos_])) ++pos_;
      t.kind = Token::Kind::kIdent;
      t.text = std::string(line_.substr(start, pos_ - start));
      return true;
    }
    return Fail(pos_, "unsupported action (" + std::string(kFilled) + ")");
  }

  bool Fail(size_t at, std::string message) {
    error_at_ = at;
    error_ = std::move(message);
    return false;
  }

  size_t pos() const { return pos_; }
  size_t error_at() const { return error_at_; }
  const std::string& error() const { return error_; }

 private:
  bool String(Token& t, char quote) {
    const size_t close = line_.find(quote, pos_ + 1);
    if (close == std::string_view::npos) return Fail(pos_, "unterminated string in action");
    std::string_view body = line_.substr(pos_ + 1, close - pos_ - 1);
    if (quote == '"' && body.find('\\') != std::string_view::npos) {
      return Fail(pos_, "escape sequences in \"...\" are not supported (write `...`)");
    }
    t.kind = Token::Kind::kString;
    t.text = std::string(body);
    pos_ = close + 1;
    return true;
  }

  std::string_view line_;
  size_t open_;
  size_t pos_;
  size_t error_at_ = 0;
  std::string error_;
};

// Expands the actions of one line (no '\n' in it).
class LineExpander {
 public:
  LineExpander(std::string_view line, int line_no, const std::string& file, ColumnUnit unit,
               const TemplateValues& values, Diagnostics& diags)
      : line_(line), line_no_(line_no), file_(file), unit_(unit), values_(values), diags_(diags) {}

  bool Run(ExpandedText& expanded) {
    used_ = &expanded.used;
    std::string& out = expanded.text;
    std::vector<TemplateEdit>& edits = expanded.edits;
    size_t copied = 0;
    int delta = 0;  // expanded column - written column, after the last edit
    bool ok = true;
    for (size_t open = line_.find("{{"); open != std::string_view::npos;
         open = line_.find("{{", copied)) {
      out.append(line_.substr(copied, open - copied));
      std::string value;
      size_t end = 0;
      if (!Expand(open, value, end)) {
        ok = false;
        if (end == 0) return false;  // nothing more on this line can be read
      }
      const int column = Column(open);
      const int written = Width(line_.substr(open, end - open), unit_);
      const int length = Width(value, unit_);
      edits.push_back({line_no_, column, written, column + delta, length});
      delta += length - written;
      out += value;
      copied = end;
    }
    out.append(line_.substr(copied));
    return ok;
  }

 private:
  int Column(size_t byte) const { return 1 + Width(line_.substr(0, byte), unit_); }

  void Error(size_t at, const std::string& message) {
    diags_.Error(Position{file_, line_no_, Column(at)}, message);
  }

  // The action at `open`: its value and the offset just past it (0 when its
  // end cannot be found). False when in error (reported).
  bool Expand(size_t open, std::string& value, size_t& end) {
    Action a(line_, open);
    if (line_.substr(open + 2, 1) == "-") {
      Error(open, "template: trim markers ({{- and -}}) are not supported");
      end = SkipTo(open);
      return false;
    }
    if (line_.substr(open + 2, 2) == "/*") {  // a comment writes nothing
      const size_t close = line_.find("*/}}", open + 4);
      if (close == std::string_view::npos) {
        Error(open, "template: no closing \"*/}}\" on this line (a comment ends on its line)");
        return false;
      }
      end = close + 4;
      return true;
    }
    if (SkipTo(open) == 0) {
      Error(open, "template: no closing \"}}\" on this line (an action ends on its line)");
      return false;
    }
    std::vector<Token> tokens;
    for (Token t; a.Next(t);) {
      if (t.kind == Token::Kind::kEnd) break;
      tokens.push_back(t);
    }
    if (!a.error().empty()) {
      Error(a.error_at(), "template: " + a.error());
      end = SkipTo(open);
      return false;
    }
    end = a.pos();
    return Evaluate(open, tokens, value);
  }

  // Where reading goes on after an action in error: past its `}}`, or 0.
  size_t SkipTo(size_t open) const {
    const size_t close = line_.find("}}", open + 2);
    return close == std::string_view::npos ? 0 : close + 2;
  }

  bool Evaluate(size_t open, const std::vector<Token>& tokens, std::string& value) {
    if (tokens.empty()) {
      Error(open, "template: empty action (" + std::string(kFilled) + ")");
      return false;
    }
    const Token& head = tokens.front();
    // A pipeline: `... | json_escape` names a function stowage does not have.
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].kind != Token::Kind::kPipe) continue;
      if (i + 1 < tokens.size() && tokens[i + 1].kind == Token::Kind::kIdent) {
        return Unsupported(tokens[i + 1]);
      }
      Error(tokens[i].at, "template: pipelines are not supported (" + std::string(kFilled) + ")");
      return false;
    }
    if (head.kind == Token::Kind::kString && tokens.size() == 1) {
      value = head.text;  // a literal writes itself: {{ "{{" }}
      return CheckValue(head, value, "the string");
    }
    if (head.kind != Token::Kind::kIdent) {
      Error(head.at, "template: unsupported action (" + std::string(kFilled) + ")");
      return false;
    }
    if (head.text == "must_env") return MustEnv(tokens, value);
    if (head.text == "env") return Env(tokens, value);
    return Unsupported(head);
  }

  bool Unsupported(const Token& function) {
    Error(function.at, "template function " + function.text + " is not supported (" +
                           std::string(kFilled) + ")");
    return false;
  }

  bool HasStrings(const std::vector<Token>& tokens, size_t count) const {
    return tokens.size() == count + 1 &&
           std::all_of(tokens.begin() + 1, tokens.end(),
                       [](const Token& t) { return t.kind == Token::Kind::kString; });
  }

  // The name argument, checked; false when in error (reported).
  bool Name(const Token& t, std::string& name) {
    if (!IsTemplateName(t.text)) {
      Error(t.at, "template: \"" + Printable(t.text) +
                      "\" is not a variable name (letters, digits and '_')");
      return false;
    }
    name = t.text;
    return true;
  }

  // The lookup, recorded for the plan (TemplateValueDigest).
  TemplateLookup Lookup(const std::string& name) {
    TemplateLookup found = values_.Lookup(name);
    (*used_)[name] = TemplateValueDigest(name, found);
    return found;
  }

  bool MustEnv(const std::vector<Token>& tokens, std::string& value) {
    std::string name;
    if (!HasStrings(tokens, 1)) {
      Error(tokens.front().at, "template: must_env expects one name: {{ must_env `NAME` }}");
      return false;
    }
    if (!Name(tokens[1], name)) return false;
    TemplateLookup found = Lookup(name);
    if (found.kind == TemplateLookup::Kind::kUnset) {
      Error(tokens.front().at, "template: must_env " + name +
                                   ": the environment variable is not set and --var-file does "
                                   "not give it");
      return false;
    }
    return Found(tokens.front(), name, found, value);
  }

  bool Env(const std::vector<Token>& tokens, std::string& value) {
    std::string name;
    if (!HasStrings(tokens, 2)) {
      Error(tokens.front().at,
            "template: env expects a name and a default: {{ env `NAME` `default` }}");
      return false;
    }
    if (!Name(tokens[1], name)) return false;
    TemplateLookup found = Lookup(name);
    if (found.kind == TemplateLookup::Kind::kUnset) {
      value = tokens[2].text;
      return CheckValue(tokens[2], value, "the default of " + name);
    }
    return Found(tokens.front(), name, found, value);
  }

  bool Found(const Token& function, const std::string& name, TemplateLookup& found,
             std::string& value) {
    if (found.kind == TemplateLookup::Kind::kNotAllowed) {
      const bool own = name.rfind("STOWAGE_", 0) == 0;
      Error(function.at, "template: " + function.text + " " + name + ": no value: give it in " +
                             (own ? std::string("--var-file (stowage's own variables are never "
                                                "read from the environment)")
                                  : "--var-file, or allow the environment variable with "
                                    "--template-env " +
                                        name));
      return false;
    }
    value = std::move(found.value);
    return CheckValue(function, value, "the value of " + name);
  }

  // A value stays on its line and within bounds; never quoted in a message.
  bool CheckValue(const Token& at, const std::string& value, const std::string& what) {
    if (value.find_first_of("\n\r") != std::string::npos) {
      Error(at.at, "template: " + what + " holds a line break (a value is one line)");
      return false;
    }
    if (value.size() > kMaxTemplateValueBytes) {
      Error(at.at, "template: " + what + " is longer than 65536 bytes");
      return false;
    }
    return true;
  }

  std::string_view line_;
  int line_no_;
  const std::string& file_;
  ColumnUnit unit_;
  const TemplateValues& values_;
  Diagnostics& diags_;
  std::map<std::string, std::string>* used_ = nullptr;
};

// Where an expanded `column` of an edited line was written.
int RestoreColumn(const std::vector<TemplateEdit>& edits, size_t first, int line, int column) {
  int delta = 0;
  for (size_t i = first; i < edits.size() && edits[i].line == line; ++i) {
    const TemplateEdit& e = edits[i];
    if (column < e.expanded_column) break;
    if (column < e.expanded_column + e.length) return e.column;
    delta = e.expanded_column + e.length - (e.column + e.written);
  }
  return column - delta;
}

// Index of the first edit on `line`, or edits.size().
size_t FirstEdit(const std::vector<TemplateEdit>& edits, int line) {
  auto it = std::lower_bound(edits.begin(), edits.end(), line,
                             [](const TemplateEdit& e, int l) { return e.line < l; });
  return (it != edits.end() && it->line == line) ? static_cast<size_t>(it - edits.begin())
                                                 : edits.size();
}

void Restore(const std::vector<TemplateEdit>& edits, int line, int& column) {
  const size_t first = FirstEdit(edits, line);
  if (first < edits.size()) column = RestoreColumn(edits, first, line, column);
}

}  // namespace

bool HasTemplates(std::string_view text) { return text.find("{{") != std::string_view::npos; }

std::optional<ExpandedText> ExpandTemplates(std::string_view text, const std::string& file,
                                            ColumnUnit unit, const TemplateValues& values,
                                            Diagnostics& diags) {
  ExpandedText out;
  out.text.reserve(text.size());
  bool ok = true;
  int line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    ++line_no;
    if (line.find("{{") == std::string_view::npos) {
      out.text.append(line);
    } else {
      ok = LineExpander(line, line_no, file, unit, values, diags).Run(out) && ok;
    }
    if (nl == std::string_view::npos) break;
    out.text += '\n';
    text.remove_prefix(nl + 1);
  }
  if (!ok) return std::nullopt;
  return out;
}

void RestorePositions(const std::vector<TemplateEdit>& edits, Value& value) {
  Restore(edits, value.loc.line, value.loc.column);
  for (auto& item : value.items) RestorePositions(edits, item);
  for (auto& member : value.members) {
    Restore(edits, member.key_loc.line, member.key_loc.column);
    RestorePositions(edits, member.value);
  }
}

Diagnostics RestorePositions(const std::vector<TemplateEdit>& edits, const Diagnostics& diags) {
  Diagnostics out;
  for (Diagnostic d : diags.items()) {
    Restore(edits, d.position.line, d.position.column);
    out.Add(std::move(d));
  }
  return out;
}

}  // namespace stowage::load
