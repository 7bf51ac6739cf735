// Query: the ECS cluster query language of `memberOf` placement constraints.
//
// An expression is parsed once (ParseQuery) into a Query, then evaluated
// against hosts as often as the scheduler needs (Query::Matches), without
// allocating. The grammar follows the Amazon ECS "cluster query language":
//
//   expr      := or
//   or        := and  { ("or"  | "||") and }
//   and       := unary { ("and" | "&&") unary }
//   unary     := ("not" | "!") unary | "(" expr ")" | condition
//   condition := subject operator [argument]
//   argument  := value | "[" value { "," value } "]"     (lists for in / !in)
//   value     := bare | 'quoted' | "quoted"
//
// Precedence: not binds tighter than and, and tighter than or.
//
// Subjects:
//   attribute:NAME      a host attribute from the cluster file (ECS built-ins such
//                       as attribute:ecs.instance-type are ordinary attributes here)
//   instanceId, host    the registered host name (ec2InstanceId is an alias)
//   runningTasksCount   tasks on the host (an integer)
//   task:group          the groups of the tasks on the host; a task of service
//                       "web" is in group "service:web" (ECS's naming). A bare
//                       group value without ':' means the service of that name:
//                       `task:group == db` is `task:group == service:db`.
//
// Operators (symbol or ECS word form): == equals, != not_equals, > greater_than,
// >= greater_than_equal, < less_than, <= less_than_equal, exists, !exists
// not_exists, in, !in not_in, =~ matches, !~ not_matches.
//
// Semantics. Every subject has a set of values on a host: an attribute has one
// value or none (not set), the host name and runningTasksCount one, task:group
// one per distinct group of the tasks on the host (none on an empty host).
// `exists` is true when the set is not empty, `!exists` when it is empty; any
// other operator is true when SOME value of the set satisfies it. So
// `task:group != service:web` means "some task on the host is not web"; to
// say "no web task here" write `not (task:group == service:web)`, and
// `attribute:zone != a` is false on a host without a zone attribute.
// `> >= < <=` compare numerically when both sides are numbers, else as
// strings (byte order). `=~` / `!~` take a regular expression (ECS: Java
// syntax; here ECMAScript, which agrees on the common subset) that must match
// the whole value: `attribute:ecs.instance-type =~ t2.*`. Patterns made only
// of literal characters, escaped literals (`\.`), `.` and `.*` are matched by
// a small glob matcher without allocating; others fall back to std::regex.
//
// Bare values end at white space, `,`, brackets, parentheses, quotes, `&&` and
// `||`; quote a value containing those: `attribute:team == 'a b'`. Inside
// quotes a backslash escapes the quote character and itself only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace stowage::query {

class QueryPattern;  // a compiled =~ pattern (query/pattern.h)

// "service:" + name: the task group of a service's tasks (what task:group sees).
inline constexpr std::string_view kServiceGroupPrefix = "service:";
std::string ServiceTaskGroup(std::string_view service);

// What a query can see of one host. Cheap to fill: nothing is copied; the
// scheduler points at data it already has and keeps it alive during Matches.
struct HostFacts {
  std::string_view name;                                           // instanceId / host
  const std::map<std::string, std::string>* attributes = nullptr;  // null: no attributes
  std::int64_t running_tasks_count = 0;
  // Distinct task groups of the tasks on the host ("service:web"), any order.
  std::span<const std::string> task_groups;
  // True when task_groups is sorted: ==, != and `in` on task:group then look
  // values up by binary search instead of comparing every group (the scheduler's
  // hosts carry dozens of groups).
  bool task_groups_sorted = false;
};

// Where and why an expression did not parse. `column` is 1-based, in bytes of
// the expression text (expression length + 1 when the text ended too early).
struct ParseError {
  int column = 0;
  std::string message;  // what was expected: `expected an operator after "attribute:zone"`
  // `memberOf: expected an operator after "attribute:zone" at column 16`
  std::string ToString() const;
};

class Query {
 public:
  enum class Subject { kAttribute, kHost, kRunningTasksCount, kTaskGroup };
  enum class Op {
    kEq,
    kNe,
    kGt,
    kGe,
    kLt,
    kLe,
    kExists,
    kNotExists,
    kIn,
    kNotIn,
    kMatches,
    kNotMatches
  };

  // True when `host` satisfies the expression. Allocation-free except for
  // regular expressions beyond the glob subset (see above).
  bool Matches(const HostFacts& host) const;

  // Canonical text: symbolic operators, single spaces, values quoted only when
  // needed, parentheses only where precedence needs them, `not (...)`.
  // `attribute:zone in [a, b] and not (task:group == service:db)`. Parses back
  // to an equivalent query.
  const std::string& Describe() const { return canonical_; }
  // The expression as written.
  const std::string& Text() const { return text_; }

  // True when the result can change as tasks are placed (uses task:group or
  // runningTasksCount); otherwise a host's result can be computed once per plan.
  bool DependsOnTasks() const { return depends_on_tasks_; }

 private:
  friend class QueryParser;

  struct Condition {
    Subject subject = Subject::kAttribute;
    std::string subject_text;  // as canonical text: "attribute:zone", "instanceId", ...
    std::string attribute;     // NAME, for kAttribute
    Op op = Op::kEq;
    std::vector<std::string> values;     // none (exists), one, or the list (in)
    std::vector<std::int64_t> integers;  // runningTasksCount: the values as integers
    std::vector<std::shared_ptr<const QueryPattern>> patterns;  // =~ / !~: one per value
  };

  struct Node {
    enum class Kind { kCondition, kAnd, kOr, kNot };
    Kind kind = Kind::kCondition;
    int condition = -1;         // kCondition: index into conditions_
    std::vector<int> children;  // kAnd / kOr: two or more; kNot: one
  };

  bool Eval(int node, const HostFacts& host) const;
  bool EvalCondition(const Condition& c, const HostFacts& host) const;
  std::string Render(int node, int parent_precedence) const;

  std::string text_;
  std::string canonical_;
  std::vector<Condition> conditions_;
  std::vector<Node> nodes_;
  int root_ = -1;
  bool depends_on_tasks_ = false;
};

// Parses a memberOf expression. On failure returns Status::Invalid with
// ParseError::ToString() as message, and fills *error when given (for the
// column, to place a diagnostic inside the document).
Result<Query> ParseQuery(std::string_view text, ParseError* error = nullptr);

const char* QueryOpName(Query::Op op);  // symbolic form: "==", "!exists", "=~" ...

}  // namespace stowage::query
