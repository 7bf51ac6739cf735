// QueryPattern: the compiled argument of `=~` / `!~` in a memberOf query.
//
// The pattern must match the whole value. Patterns made only of literal
// characters, backslash-escaped punctuation (`\.`), `.` (any character) and
// `.*` (any run) compile to a glob program matched without allocating, which
// covers what ECS users write (`t2.*`, `eu-1.`, `.*\.large`). Anything else
// (classes, alternation, groups, other quantifiers) compiles to std::regex
// (ECMAScript grammar).
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace stowage::query {

class QueryPattern {
 public:
  // nullopt when `pattern` is not a valid regular expression.
  static std::optional<QueryPattern> Compile(std::string_view pattern);

  bool Match(std::string_view value) const;
  bool IsGlob() const { return regex_ == nullptr; }

 private:
  // One glob step: a literal byte, any byte ('.'), or any run (".*").
  struct Step {
    enum class Kind : unsigned char { kLiteral, kAny, kStar };
    Kind kind = Kind::kLiteral;
    char literal = 0;
  };

  static bool ToGlob(std::string_view pattern, std::vector<Step>* steps);
  bool MatchGlob(std::string_view value) const;

  std::vector<Step> steps_;
  std::shared_ptr<const std::regex> regex_;
};

}  // namespace stowage::query
