// Evaluation and canonical rendering of a parsed Query (parsing is in
// parser.cc, patterns in pattern.cc).
#include "query/query.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "query/pattern.h"

namespace stowage::query {
namespace {

enum Precedence { kOrPrecedence = 1, kAndPrecedence = 2, kAtomPrecedence = 3 };

std::optional<double> AsNumber(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// <0, 0, >0: numerically when both are numbers, else by bytes.
int Compare(std::string_view a, std::string_view b) {
  auto x = AsNumber(a);
  auto y = AsNumber(b);
  if (x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
  return a.compare(b);
}

bool Ordered(Query::Op op, int cmp) {
  switch (op) {
    case Query::Op::kGt:
      return cmp > 0;
    case Query::Op::kGe:
      return cmp >= 0;
    case Query::Op::kLt:
      return cmp < 0;
    case Query::Op::kLe:
      return cmp <= 0;
    default:
      return false;
  }
}

int Sign(std::int64_t a, std::int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  if (v.find("&&") != std::string_view::npos || v.find("||") != std::string_view::npos) {
    return true;
  }
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
        std::string_view("()[],'\"").find(c) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::string FormatValue(std::string_view v) {
  if (!NeedsQuotes(v)) return std::string(v);
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace

std::string ServiceTaskGroup(std::string_view service) {
  std::string group(kServiceGroupPrefix);
  group.append(service);
  return group;
}

const char* QueryOpName(Query::Op op) {
  switch (op) {
    case Query::Op::kEq:
      return "==";
    case Query::Op::kNe:
      return "!=";
    case Query::Op::kGt:
      return ">";
    case Query::Op::kGe:
      return ">=";
    case Query::Op::kLt:
      return "<";
    case Query::Op::kLe:
      return "<=";
    case Query::Op::kExists:
      return "exists";
    case Query::Op::kNotExists:
      return "!exists";
    case Query::Op::kIn:
      return "in";
    case Query::Op::kNotIn:
      return "!in";
    case Query::Op::kMatches:
      return "=~";
    case Query::Op::kNotMatches:
      return "!~";
  }
  return "==";
}

bool Query::Matches(const HostFacts& host) const { return root_ >= 0 && Eval(root_, host); }

bool Query::Eval(int index, const HostFacts& host) const {
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  switch (n.kind) {
    case Node::Kind::kCondition:
      return EvalCondition(conditions_[static_cast<std::size_t>(n.condition)], host);
    case Node::Kind::kAnd:
      for (int child : n.children) {
        if (!Eval(child, host)) return false;
      }
      return true;
    case Node::Kind::kOr:
      for (int child : n.children) {
        if (Eval(child, host)) return true;
      }
      return false;
    case Node::Kind::kNot:
      return !Eval(n.children.front(), host);
  }
  return false;
}

namespace {

bool TestInteger(Query::Op op, std::int64_t value, const std::vector<std::int64_t>& args) {
  switch (op) {
    case Query::Op::kEq:
      return value == args.front();
    case Query::Op::kNe:
      return value != args.front();
    case Query::Op::kIn:
    case Query::Op::kNotIn: {
      bool in = false;
      for (std::int64_t a : args) in = in || a == value;
      return in == (op == Query::Op::kIn);
    }
    default:
      return Ordered(op, Sign(value, args.front()));
  }
}

// One value of the subject against the condition's argument.
template <typename Condition>
bool TestValue(const Condition& c, std::string_view value) {
  switch (c.op) {
    case Query::Op::kEq:
      return value == c.values.front();
    case Query::Op::kNe:
      return value != c.values.front();
    case Query::Op::kIn:
    case Query::Op::kNotIn: {
      bool in = false;
      for (const auto& a : c.values) in = in || a == value;
      return in == (c.op == Query::Op::kIn);
    }
    case Query::Op::kMatches:
      return c.patterns.front()->Match(value);
    case Query::Op::kNotMatches:
      return !c.patterns.front()->Match(value);
    default:
      return Ordered(c.op, Compare(value, c.values.front()));
  }
}

// ==, != and `in` against a sorted set of distinct groups, by binary search;
// nullopt for the other operators.
template <typename Condition>
std::optional<bool> TestSortedGroups(const Condition& c, std::span<const std::string> groups) {
  auto has = [&](const std::string& v) {
    return std::binary_search(groups.begin(), groups.end(), v);
  };
  switch (c.op) {
    case Query::Op::kEq:
      return has(c.values.front());
    case Query::Op::kIn:
      return std::any_of(c.values.begin(), c.values.end(), has);
    case Query::Op::kNe:  // some group other than the value
      return groups.size() > 1 || (groups.size() == 1 && groups.front() != c.values.front());
    default:
      return std::nullopt;
  }
}

}  // namespace

bool Query::EvalCondition(const Condition& c, const HostFacts& host) const {
  if (c.subject == Subject::kRunningTasksCount) {
    return TestInteger(c.op, host.running_tasks_count, c.integers);
  }
  // The subject's values on this host: none, one, or the task groups.
  std::string_view single;
  std::span<const std::string> many;
  bool has_single = false;
  switch (c.subject) {
    case Subject::kAttribute:
      if (host.attributes) {
        auto it = host.attributes->find(c.attribute);
        if (it != host.attributes->end()) {
          single = it->second;
          has_single = true;
        }
      }
      break;
    case Subject::kHost:
      single = host.name;
      has_single = true;
      break;
    case Subject::kTaskGroup:
      many = host.task_groups;
      break;
    case Subject::kRunningTasksCount:
      break;
  }
  const bool empty = !has_single && many.empty();
  if (c.op == Op::kExists) return !empty;
  if (c.op == Op::kNotExists) return empty;
  if (has_single) return TestValue(c, single);
  if (host.task_groups_sorted) {
    if (auto result = TestSortedGroups(c, many)) return *result;
  }
  for (const auto& group : many) {
    if (TestValue(c, group)) return true;
  }
  return false;
}

std::string Query::Render(int index, int parent_precedence) const {
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  if (n.kind == Node::Kind::kNot) return "not (" + Render(n.children.front(), 0) + ")";
  if (n.kind == Node::Kind::kCondition) {
    const Condition& c = conditions_[static_cast<std::size_t>(n.condition)];
    std::string out = c.subject_text + " " + QueryOpName(c.op);
    std::vector<std::string> shown;
    if (c.subject == Subject::kRunningTasksCount) {
      for (std::int64_t v : c.integers) shown.push_back(std::to_string(v));
    } else {
      for (const auto& v : c.values) shown.push_back(FormatValue(v));
    }
    if (c.op == Op::kIn || c.op == Op::kNotIn) {
      out += " [";
      for (std::size_t i = 0; i < shown.size(); ++i) out += (i ? ", " : "") + shown[i];
      out += "]";
    } else if (!shown.empty()) {
      out += " " + shown.front();
    }
    return out;
  }
  const bool is_and = n.kind == Node::Kind::kAnd;
  const int own = is_and ? kAndPrecedence : kOrPrecedence;
  std::string out;
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    if (i) out += is_and ? " and " : " or ";
    out += Render(n.children[i], own);
  }
  return own < parent_precedence ? "(" + out + ")" : out;
}

}  // namespace stowage::query
