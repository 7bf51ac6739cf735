#include "query/pattern.h"

#include <cctype>

namespace stowage::query {
namespace {

// Characters with a meaning in a regular expression outside the glob subset.
bool IsRegexSpecial(char c) {
  switch (c) {
    case '[':
    case ']':
    case '(':
    case ')':
    case '{':
    case '}':
    case '|':
    case '?':
    case '+':
    case '*':
    case '^':
    case '$':
      return true;
    default:
      return false;
  }
}

}  // namespace

bool QueryPattern::ToGlob(std::string_view pattern, std::vector<Step>* steps) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      // Only escaped punctuation is a literal; \d, \w, \s ... are classes.
      if (i + 1 == pattern.size()) return false;
      const char next = pattern[i + 1];
      if (std::isalnum(static_cast<unsigned char>(next))) return false;
      steps->push_back({Step::Kind::kLiteral, next});
      ++i;
    } else if (c == '.') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '*') {
        if (steps->empty() || steps->back().kind != Step::Kind::kStar) {
          steps->push_back({Step::Kind::kStar, 0});
        }
        ++i;
      } else {
        steps->push_back({Step::Kind::kAny, 0});
      }
    } else if (IsRegexSpecial(c)) {
      return false;
    } else {
      steps->push_back({Step::Kind::kLiteral, c});
    }
  }
  return true;
}

std::optional<QueryPattern> QueryPattern::Compile(std::string_view pattern) {
  QueryPattern p;
  if (ToGlob(pattern, &p.steps_)) return p;
  p.steps_.clear();
  try {
    p.regex_ =
        std::make_shared<const std::regex>(pattern.begin(), pattern.end(), std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
  return p;
}

bool QueryPattern::Match(std::string_view value) const {
  if (regex_) return std::regex_match(value.begin(), value.end(), *regex_);
  return MatchGlob(value);
}

// Classic wildcard matching with one backtrack point: the last star seen.
bool QueryPattern::MatchGlob(std::string_view value) const {
  std::size_t s = 0;  // step
  std::size_t v = 0;  // value byte
  std::size_t star_step = std::string_view::npos;
  std::size_t star_value = 0;
  while (v < value.size()) {
    if (s < steps_.size() && steps_[s].kind == Step::Kind::kStar) {
      star_step = s++;
      star_value = v;
    } else if (s < steps_.size() &&
               (steps_[s].kind == Step::Kind::kAny || steps_[s].literal == value[v])) {
      ++s;
      ++v;
    } else if (star_step != std::string_view::npos) {
      s = star_step + 1;
      v = ++star_value;
    } else {
      return false;
    }
  }
  while (s < steps_.size() && steps_[s].kind == Step::Kind::kStar) ++s;
  return s == steps_.size();
}

}  // namespace stowage::query
