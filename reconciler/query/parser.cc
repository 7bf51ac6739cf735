// The recursive-descent parser of the cluster query language (grammar in
// query/query.h). It reads the text directly, asking at each point for what the
// grammar allows there, so a value may contain characters that would be
// operators elsewhere (`t2.*`, `a!b`).
#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "query/pattern.h"
#include "query/query.h"

namespace stowage::query {
namespace {

constexpr const char* kSubjects =
    "attribute:NAME, instanceId, host, runningTasksCount or task:group";

struct OpSpelling {
  std::string_view text;
  Query::Op op;
};

// Symbols, longest first; "!exists" and "!in" need a word boundary after them.
constexpr std::array<OpSpelling, 10> kSymbolOps = {{
    {"!exists", Query::Op::kNotExists},
    {"!in", Query::Op::kNotIn},
    {"==", Query::Op::kEq},
    {"!=", Query::Op::kNe},
    {">=", Query::Op::kGe},
    {"<=", Query::Op::kLe},
    {"=~", Query::Op::kMatches},
    {"!~", Query::Op::kNotMatches},
    {">", Query::Op::kGt},
    {"<", Query::Op::kLt},
}};

constexpr std::array<OpSpelling, 12> kWordOps = {{
    {"equals", Query::Op::kEq},
    {"not_equals", Query::Op::kNe},
    {"greater_than", Query::Op::kGt},
    {"greater_than_equal", Query::Op::kGe},
    {"less_than", Query::Op::kLt},
    {"less_than_equal", Query::Op::kLe},
    {"exists", Query::Op::kExists},
    {"not_exists", Query::Op::kNotExists},
    {"in", Query::Op::kIn},
    {"not_in", Query::Op::kNotIn},
    {"matches", Query::Op::kMatches},
    {"not_matches", Query::Op::kNotMatches},
}};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
// Characters that end a subject token.
bool EndsSubject(char c) {
  return IsSpace(c) || std::string_view("()[],'\"=!<>~&|").find(c) != std::string_view::npos;
}
// Characters that end a bare value ("&&" and "||" are checked separately).
bool EndsValue(char c) {
  return IsSpace(c) || std::string_view("()[],'\"").find(c) != std::string_view::npos;
}

bool IsList(Query::Op op) { return op == Query::Op::kIn || op == Query::Op::kNotIn; }
bool TakesNoValue(Query::Op op) { return op == Query::Op::kExists || op == Query::Op::kNotExists; }
bool IsMatch(Query::Op op) { return op == Query::Op::kMatches || op == Query::Op::kNotMatches; }
bool IsOrdering(Query::Op op) {
  return op == Query::Op::kGt || op == Query::Op::kGe || op == Query::Op::kLt ||
         op == Query::Op::kLe;
}

// Which operators a subject accepts (ECS's lists, plus exists where it means something).
bool OpAppliesTo(Query::Subject subject, Query::Op op) {
  switch (subject) {
    case Query::Subject::kAttribute:
      return true;
    case Query::Subject::kHost:
      return !IsOrdering(op) && !TakesNoValue(op);
    case Query::Subject::kRunningTasksCount:
      return !IsMatch(op) && !TakesNoValue(op);
    case Query::Subject::kTaskGroup:
      return !IsOrdering(op);
  }
  return false;
}

std::optional<std::int64_t> ParseInteger(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

class QueryParser {
 public:
  explicit QueryParser(std::string_view text) : text_(text) {}

  bool Parse(Query* q) {
    q_ = q;
    q->text_ = std::string(text_);
    q->root_ = ParseOr();
    if (failed_) return false;
    SkipSpace();
    if (pos_ < text_.size()) {
      return Fail(pos_, text_[pos_] == ')' ? "unexpected \")\" without a matching \"(\""
                                           : "expected \"and\", \"or\" or the end of the "
                                             "expression");
    }
    q->canonical_ = q->Render(q->root_, 0);
    return true;
  }

  const ParseError& error() const { return error_; }

 private:
  using Node = Query::Node;

  // ---- boolean structure ------------------------------------------------------
  int ParseOr() { return ParseChain(Node::Kind::kOr, "||", "or", &QueryParser::ParseAnd); }
  int ParseAnd() { return ParseChain(Node::Kind::kAnd, "&&", "and", &QueryParser::ParseUnary); }

  // operand { connective operand }, as one n-ary node.
  int ParseChain(Node::Kind kind, std::string_view symbol, std::string_view word,
                 int (QueryParser::*operand)()) {
    std::vector<int> items;
    do {
      items.push_back((this->*operand)());
      if (failed_) return -1;
    } while (Connective(symbol, word));
    return Join(kind, std::move(items));
  }

  int ParseUnary() {
    SkipSpace();
    if (Peek('!') && !PeekAt(pos_ + 1, '=') && !PeekAt(pos_ + 1, '~')) {
      ++pos_;
      return Negate();
    }
    if (Keyword("not")) return Negate();
    if (Peek('(')) {
      const std::size_t open = pos_++;
      int inner = ParseOr();
      if (failed_) return -1;
      SkipSpace();
      if (!Peek(')')) {
        Fail(pos_, "expected \")\" to close the \"(\" at column " + std::to_string(open + 1));
        return -1;
      }
      ++pos_;
      return inner;
    }
    return ParseCondition();
  }

  int Negate() {
    int operand = ParseUnary();
    if (failed_) return -1;
    Node n;
    n.kind = Node::Kind::kNot;
    n.children = {operand};
    return Add(std::move(n));
  }

  int Join(Node::Kind kind, std::vector<int> items) {
    if (items.size() == 1) return items.front();
    Node n;
    n.kind = kind;
    n.children = std::move(items);
    return Add(std::move(n));
  }

  int Add(Node n) {
    q_->nodes_.push_back(std::move(n));
    return static_cast<int>(q_->nodes_.size()) - 1;
  }

  // ---- conditions --------------------------------------------------------------
  int ParseCondition() {
    Query::Condition c;
    if (!ParseSubject(&c)) return -1;
    if (!ParseOperator(&c)) return -1;
    if (!ParseArgument(&c)) return -1;
    if (c.subject == Query::Subject::kTaskGroup ||
        c.subject == Query::Subject::kRunningTasksCount) {
      q_->depends_on_tasks_ = true;
    }
    q_->conditions_.push_back(std::move(c));
    Node n;
    n.condition = static_cast<int>(q_->conditions_.size()) - 1;
    return Add(std::move(n));
  }

  bool ParseSubject(Query::Condition* c) {
    SkipSpace();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && !EndsSubject(text_[pos_])) ++pos_;
    const std::string_view word = text_.substr(start, pos_ - start);
    if (word.empty()) return Fail(start, std::string("expected a subject (") + kSubjects + ")");
    constexpr std::string_view kAttr = "attribute:";
    if (word.starts_with(kAttr)) {
      if (word.size() == kAttr.size()) {
        return Fail(pos_, "expected an attribute name after \"attribute:\"");
      }
      c->subject = Query::Subject::kAttribute;
      c->attribute = std::string(word.substr(kAttr.size()));
    } else if (word == "instanceId" || word == "ec2InstanceId" || word == "host") {
      c->subject = Query::Subject::kHost;
    } else if (word == "runningTasksCount") {
      c->subject = Query::Subject::kRunningTasksCount;
    } else if (word == "task:group") {
      c->subject = Query::Subject::kTaskGroup;
    } else {
      return Fail(start, "unknown subject " + Quote(word) + "; expected " + kSubjects);
    }
    c->subject_text = std::string(word);
    return true;
  }

  bool ParseOperator(Query::Condition* c) {
    SkipSpace();
    const std::size_t start = pos_;
    const std::string_view rest = text_.substr(pos_);
    std::optional<OpSpelling> found;
    for (const auto& s : kSymbolOps) {
      if (!rest.starts_with(s.text)) continue;
      const bool needs_boundary = IsWordChar(s.text.back());
      if (needs_boundary && rest.size() > s.text.size() && IsWordChar(rest[s.text.size()])) {
        continue;
      }
      found = s;
      break;
    }
    if (!found) {
      std::size_t end = pos_;
      while (end < text_.size() && IsWordChar(text_[end])) ++end;
      const std::string_view word = text_.substr(pos_, end - pos_);
      for (const auto& s : kWordOps) {
        if (word == s.text) found = s;
      }
    }
    if (!found) return Fail(start, "expected an operator after " + Quote(c->subject_text));
    pos_ += found->text.size();
    op_text_ = found->text;
    if (!OpAppliesTo(c->subject, found->op)) {
      return Fail(start,
                  "operator " + Quote(found->text) + " does not apply to " + c->subject_text);
    }
    c->op = found->op;
    return true;
  }

  bool ParseArgument(Query::Condition* c) {
    if (TakesNoValue(c->op)) return true;
    SkipSpace();
    if (IsList(c->op)) {
      if (!Peek('[')) {
        return Fail(pos_, "expected a list like [a, b] after " + Quote(op_text_));
      }
      ++pos_;
      for (;;) {
        if (!ParseValue(c, "expected a value in the list")) return false;
        SkipSpace();
        if (!Peek(',')) break;
        ++pos_;
      }
      if (!Peek(']')) return Fail(pos_, "expected \",\" or \"]\" in the list");
      ++pos_;
      return true;
    }
    return ParseValue(c, "expected a value after " + Quote(op_text_));
  }

  bool ParseValue(Query::Condition* c, const std::string& missing) {
    SkipSpace();
    const std::size_t start = pos_;
    std::string value;
    if (Peek('\'') || Peek('"')) {
      if (!ReadQuoted(&value)) return false;
    } else {
      while (pos_ < text_.size() && !EndsValue(text_[pos_]) &&
             !text_.substr(pos_).starts_with("&&") && !text_.substr(pos_).starts_with("||")) {
        ++pos_;
      }
      if (pos_ == start) return Fail(start, missing);
      value = std::string(text_.substr(start, pos_ - start));
    }
    return AddValue(c, std::move(value), start);
  }

  bool ReadQuoted(std::string* out) {
    const std::size_t open = pos_;
    const char quote = text_[pos_++];
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char ch = text_[pos_++];
      if (ch == '\\' && pos_ < text_.size() && (text_[pos_] == quote || text_[pos_] == '\\')) {
        ch = text_[pos_++];
      }
      out->push_back(ch);
    }
    if (pos_ == text_.size()) return Fail(open, "unterminated quoted value");
    ++pos_;
    return true;
  }

  bool AddValue(Query::Condition* c, std::string value, std::size_t column) {
    if (c->subject == Query::Subject::kRunningTasksCount) {
      auto n = ParseInteger(value);
      if (!n) return Fail(column, "runningTasksCount: expected an integer, got " + Quote(value));
      c->integers.push_back(*n);
    } else if (IsMatch(c->op)) {
      auto pattern = QueryPattern::Compile(value);
      if (!pattern) return Fail(column, "invalid regular expression " + Quote(value));
      c->patterns.push_back(std::make_shared<const QueryPattern>(std::move(*pattern)));
    } else if (c->subject == Query::Subject::kTaskGroup && value.find(':') == std::string::npos) {
      value = ServiceTaskGroup(value);
    }
    c->values.push_back(std::move(value));
    return true;
  }

  // ---- lexical helpers ---------------------------------------------------------
  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }
  bool Peek(char c) const { return PeekAt(pos_, c); }
  bool PeekAt(std::size_t at, char c) const { return at < text_.size() && text_[at] == c; }

  // A keyword followed by a boundary (space, parenthesis, '!' or the end).
  bool Keyword(std::string_view word) {
    if (!text_.substr(pos_).starts_with(word)) return false;
    const std::size_t end = pos_ + word.size();
    if (end < text_.size() && (IsWordChar(text_[end]) || text_[end] == ':')) return false;
    pos_ = end;
    return true;
  }

  bool Connective(std::string_view symbol, std::string_view word) {
    SkipSpace();
    if (text_.substr(pos_).starts_with(symbol)) {
      pos_ += symbol.size();
      return true;
    }
    return Keyword(word);
  }

  bool Fail(std::size_t at, std::string message) {
    if (!failed_) {
      failed_ = true;
      error_.column = static_cast<int>(at) + 1;
      error_.message = std::move(message);
    }
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Query* q_ = nullptr;
  std::string_view op_text_;
  bool failed_ = false;
  ParseError error_;
};

std::string ParseError::ToString() const {
  return "memberOf: " + message + " at column " + std::to_string(column);
}

Result<Query> ParseQuery(std::string_view text, ParseError* error) {
  Query q;
  QueryParser parser(text);
  if (!parser.Parse(&q)) {
    if (error) *error = parser.error();
    return Status::Invalid(parser.error().ToString());
  }
  return q;
}

}  // namespace stowage::query
