#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "query/pattern.h"
#include "query/query.h"

namespace stowage::query {
namespace {

// A host the tests describe in one line.
struct TestHost {
  std::string name = "web-1";
  std::map<std::string, std::string> attributes;
  std::int64_t running = 0;
  std::vector<std::string> groups;

  HostFacts Facts() const { return HostFacts{name, &attributes, running, groups}; }
};

Query Parse(const std::string& text) {
  auto q = ParseQuery(text);
  INFO(text << " -> " << q.status().message());
  REQUIRE(q.ok());
  return std::move(q).value();
}

bool Eval(const std::string& text, const TestHost& host) {
  return Parse(text).Matches(host.Facts());
}

ParseError Error(const std::string& text) {
  ParseError e;
  auto q = ParseQuery(text, &e);
  INFO(text);
  REQUIRE_FALSE(q.ok());
  CHECK(q.status().code() == Status::Code::kInvalid);
  CHECK(q.status().message() == e.ToString());
  return e;
}

TestHost ZoneHost(const std::string& zone) {
  TestHost h;
  h.attributes = {{"zone", zone}, {"ecs.instance-type", "t2.micro"}, {"cores", "8"}};
  return h;
}

}  // namespace

TEST_CASE("query equality and inequality on attributes", "[query]") {
  auto a = ZoneHost("a");
  auto b = ZoneHost("b");
  CHECK(Eval("attribute:zone == a", a));
  CHECK_FALSE(Eval("attribute:zone == a", b));
  CHECK(Eval("attribute:zone equals a", a));
  CHECK(Eval("attribute:zone != a", b));
  CHECK_FALSE(Eval("attribute:zone != a", a));
  CHECK(Eval("attribute:zone not_equals a", b));
  CHECK(Eval("attribute:zone==a", a));
  CHECK(Eval("attribute:ecs.instance-type == t2.micro", a));
}

TEST_CASE("query conditions on a missing attribute are false except !exists", "[query]") {
  TestHost bare;
  CHECK_FALSE(Eval("attribute:zone == a", bare));
  CHECK_FALSE(Eval("attribute:zone != a", bare));
  CHECK_FALSE(Eval("attribute:zone in [a, b]", bare));
  CHECK_FALSE(Eval("attribute:zone !in [a, b]", bare));
  CHECK_FALSE(Eval("attribute:zone =~ .*", bare));
  CHECK_FALSE(Eval("attribute:zone !~ a", bare));
  CHECK_FALSE(Eval("attribute:zone > 1", bare));
  CHECK_FALSE(Eval("attribute:zone exists", bare));
  CHECK(Eval("attribute:zone !exists", bare));
  CHECK(Eval("not (attribute:zone == a)", bare));
  // A host without any attribute map at all behaves the same.
  HostFacts none{"h", nullptr, 0, {}};
  CHECK(Parse("attribute:zone !exists").Matches(none));
  CHECK_FALSE(Parse("attribute:zone exists").Matches(none));
}

TEST_CASE("query exists and !exists", "[query]") {
  auto a = ZoneHost("a");
  CHECK(Eval("attribute:zone exists", a));
  CHECK_FALSE(Eval("attribute:zone !exists", a));
  CHECK_FALSE(Eval("attribute:zone not_exists", a));
  CHECK(Eval("attribute:rack not_exists", a));
  TestHost empty;
  CHECK_FALSE(Eval("task:group exists", empty));
  CHECK(Eval("task:group !exists", empty));
  empty.groups = {"service:web"};
  CHECK(Eval("task:group exists", empty));
}

TEST_CASE("query in and !in lists", "[query]") {
  auto a = ZoneHost("a");
  auto c = ZoneHost("c");
  CHECK(Eval("attribute:zone in [a, b]", a));
  CHECK_FALSE(Eval("attribute:zone in [a, b]", c));
  CHECK(Eval("attribute:zone !in [a, b]", c));
  CHECK_FALSE(Eval("attribute:zone !in [a, b]", a));
  CHECK(Eval("attribute:zone not_in [a,b]", c));
  CHECK(Eval("attribute:zone in [a]", a));
  CHECK(Eval("attribute:zone in['x y', \"a\"]", a));
  CHECK(Eval("instanceId in ['i-1', web-1]", a));
}

TEST_CASE("query ordering compares numbers numerically, else as strings", "[query]") {
  auto h = ZoneHost("b");
  CHECK(Eval("attribute:cores > 4", h));
  CHECK(Eval("attribute:cores > 10", h) == false);  // numeric: 8 < 10 (bytes would say "8" > "10")
  CHECK(Eval("attribute:cores >= 8", h));
  CHECK(Eval("attribute:cores < 16", h));
  CHECK(Eval("attribute:cores <= 8.0", h));
  CHECK_FALSE(Eval("attribute:cores < 8", h));
  CHECK(Eval("attribute:cores greater_than 7", h));
  CHECK(Eval("attribute:cores greater_than_equal 8", h));
  CHECK(Eval("attribute:cores less_than 9", h));
  CHECK(Eval("attribute:cores less_than_equal 8", h));
  CHECK(Eval("attribute:zone > a", h));  // strings: "b" > "a"
  CHECK_FALSE(Eval("attribute:zone < a", h));
  CHECK(Eval("attribute:zone < 'b0'", h));
}

TEST_CASE("query runningTasksCount is an integer", "[query]") {
  TestHost h;
  h.running = 3;
  CHECK(Eval("runningTasksCount == 3", h));
  CHECK_FALSE(Eval("runningTasksCount == 30", h));
  CHECK(Eval("runningTasksCount != 4", h));
  CHECK(Eval("runningTasksCount > 2", h));
  CHECK_FALSE(Eval("runningTasksCount > 3", h));
  CHECK(Eval("runningTasksCount >= 3", h));
  CHECK(Eval("runningTasksCount < 10", h));  // numeric: 3 < 10
  CHECK(Eval("runningTasksCount <= 3", h));
  CHECK_FALSE(Eval("runningTasksCount < 3", h));
  CHECK(Eval("runningTasksCount in [1, 3]", h));
  CHECK(Eval("runningTasksCount !in [1, 2]", h));
  CHECK(Eval("runningTasksCount > -1", h));
  CHECK(Parse("runningTasksCount < 2").DependsOnTasks());
}

TEST_CASE("query =~ and !~ match the whole value", "[query]") {
  auto h = ZoneHost("eu-1a");
  CHECK(Eval("attribute:ecs.instance-type =~ t2.*", h));
  CHECK(Eval("attribute:ecs.instance-type matches t2.*", h));
  CHECK_FALSE(Eval("attribute:ecs.instance-type =~ t2", h));  // whole value
  CHECK_FALSE(Eval("attribute:ecs.instance-type =~ micro", h));
  CHECK(Eval("attribute:ecs.instance-type =~ .*micro", h));
  CHECK(Eval("attribute:ecs.instance-type !~ m5.*", h));
  CHECK(Eval("attribute:ecs.instance-type not_matches m5.*", h));
  CHECK_FALSE(Eval("attribute:ecs.instance-type !~ t2.*", h));
  CHECK(Eval("attribute:zone =~ eu-1.", h));
  CHECK_FALSE(Eval("attribute:zone =~ eu-1\\.", h));   // escaped dot is a literal dot
  CHECK(Eval("attribute:zone =~ 'eu-(1|2)[ab]'", h));  // full regex
  CHECK_FALSE(Eval("attribute:zone =~ 'eu-(2|3)[ab]'", h));
  CHECK(Eval("attribute:zone =~ 'eu-\\d[a-c]'", h));
  CHECK(Eval("host =~ web-.*", h));
}

TEST_CASE("query pattern compiles the glob subset without std::regex", "[query]") {
  CHECK(QueryPattern::Compile("t2.*")->IsGlob());
  CHECK(QueryPattern::Compile(".*\\.large")->IsGlob());
  CHECK(QueryPattern::Compile("eu-1.")->IsGlob());
  CHECK_FALSE(QueryPattern::Compile("a|b")->IsGlob());
  CHECK_FALSE(QueryPattern::Compile("\\d+")->IsGlob());
  CHECK_FALSE(QueryPattern::Compile("a*")->IsGlob());
  auto p = QueryPattern::Compile("a.*b.*c");
  CHECK(p->Match("abc"));
  CHECK(p->Match("a-x-b-y-c"));
  CHECK(p->Match("abcbc"));
  CHECK_FALSE(p->Match("acb"));
  CHECK_FALSE(p->Match("ab"));
  CHECK(QueryPattern::Compile(".*")->Match(""));
  CHECK_FALSE(QueryPattern::Compile(".")->Match(""));
  CHECK_FALSE(QueryPattern::Compile("x[").has_value());
}

TEST_CASE("query host and instanceId are the registered host name", "[query]") {
  TestHost h;
  h.name = "web-2";
  CHECK(Eval("host == web-2", h));
  CHECK(Eval("instanceId == web-2", h));
  CHECK(Eval("ec2InstanceId == web-2", h));
  CHECK(Eval("instanceId != web-1", h));
  CHECK(Eval("host !in [web-1, web-3]", h));
  CHECK_FALSE(Parse("host == web-2").DependsOnTasks());
}

TEST_CASE("query task:group means some task on the host", "[query]") {
  TestHost h;
  h.groups = {"service:web", "service:api"};
  CHECK(Eval("task:group == service:web", h));
  CHECK(Eval("task:group == web", h));  // bare name: the service of that name
  CHECK_FALSE(Eval("task:group == db", h));
  CHECK(Eval("task:group != service:web", h));  // the api task is not web
  CHECK(Eval("task:group in [db, api]", h));
  CHECK_FALSE(Eval("task:group in [db, cache]", h));
  CHECK(Eval("task:group !in [web]", h));  // api
  CHECK_FALSE(Eval("task:group !in [web, api]", h));
  CHECK(Eval("task:group =~ service:a.*", h));
  CHECK(Eval("task:group !~ service:w.*", h));
  CHECK(Eval("not (task:group == db)", h));
  CHECK_FALSE(Eval("not(task:group == web)", h));
  TestHost only_web;
  only_web.groups = {"service:web"};
  CHECK_FALSE(Eval("task:group != web", only_web));
  TestHost empty;
  CHECK_FALSE(Eval("task:group != web", empty));
  CHECK(Eval("not task:group == web", empty));
  CHECK(Parse("not task:group == web").DependsOnTasks());
  CHECK(ServiceTaskGroup("web") == "service:web");
}

TEST_CASE("query boolean operators and precedence", "[query]") {
  auto a = ZoneHost("a");
  CHECK(Eval("attribute:zone == a and host == web-1", a));
  CHECK(Eval("attribute:zone == a && host == web-1", a));
  CHECK_FALSE(Eval("attribute:zone == a and host == web-2", a));
  CHECK(Eval("attribute:zone == b or host == web-1", a));
  CHECK(Eval("attribute:zone == b || host == web-1", a));
  CHECK_FALSE(Eval("attribute:zone == b or host == web-2", a));
  CHECK(Eval("not attribute:zone == b", a));
  CHECK(Eval("!attribute:zone == b", a));
  CHECK(Eval("! attribute:zone == b", a));
  CHECK(Eval("not not attribute:zone == a", a));
  // and binds tighter than or: true or (false and false)
  CHECK(Eval("attribute:zone == a or host == x and host == y", a));
  // (true or false) and false
  CHECK_FALSE(Eval("(attribute:zone == a or host == x) and host == y", a));
  // not binds tighter than and: (not true) and true
  CHECK_FALSE(Eval("not attribute:zone == a and host == web-1", a));
  CHECK(Eval("not (attribute:zone == a and host == x)", a));
  // not binds tighter than or: (not true) or true
  CHECK(Eval("not attribute:zone == a or host == web-1", a));
  CHECK_FALSE(Eval("not (attribute:zone == a or host == web-1)", a));
  CHECK(Eval("((attribute:zone == a))", a));
  CHECK(Eval("attribute:zone == a and (host == x or runningTasksCount == 0)", a));
}

TEST_CASE("query quoted values", "[query]") {
  TestHost h;
  h.attributes = {{"team", "core infra"}, {"q", "it's"}, {"p", "a,b"}, {"e", ""}};
  CHECK(Eval("attribute:team == 'core infra'", h));
  CHECK(Eval("attribute:team == \"core infra\"", h));
  CHECK(Eval("attribute:q == 'it\\'s'", h));
  CHECK(Eval("attribute:q == \"it's\"", h));
  CHECK(Eval("attribute:p in ['a,b', c]", h));
  CHECK(Eval("attribute:e == ''", h));
  CHECK(Eval("attribute:team == 'core infra' and attribute:p == 'a,b'", h));
}

TEST_CASE("query canonical text", "[query]") {
  auto d = [](const std::string& text) { return Parse(text).Describe(); };
  CHECK(d("attribute:zone == a") == "attribute:zone == a");
  CHECK(d("  attribute:zone   equals  a ") == "attribute:zone == a");
  CHECK(d("attribute:zone in[a,b]") == "attribute:zone in [a, b]");
  CHECK(d("attribute:zone not_in ['a', \"b c\"]") == "attribute:zone !in [a, 'b c']");
  CHECK(d("attribute:zone exists") == "attribute:zone exists");
  CHECK(d("attribute:zone not_exists") == "attribute:zone !exists");
  CHECK(d("attribute:q == \"it's\"") == "attribute:q == 'it\\'s'");
  CHECK(d("attribute:e == \"\"") == "attribute:e == ''");
  CHECK(d("runningTasksCount less_than 05") == "runningTasksCount < 5");
  CHECK(d("not(task:group == db)") == "not (task:group == service:db)");
  CHECK(d("host == x && host == y || host == z") == "host == x and host == y or host == z");
  CHECK(d("host == x and (host == y or host == z)") == "host == x and (host == y or host == z)");
  CHECK(d("(host == x and host == y) or host == z") == "host == x and host == y or host == z");
  CHECK(d("! host == x") == "not (host == x)");
  CHECK(d("attribute:t =~ 't2.*'") == "attribute:t =~ t2.*");
  CHECK(Parse("  host == x ").Text() == "  host == x ");
}

TEST_CASE("query canonical text parses back to the same query", "[query]") {
  const std::vector<std::string> texts = {
      "attribute:zone in [a, b] and not(task:group == db)",
      "attribute:team == 'core infra' or attribute:q == \"it's\" and runningTasksCount < 3",
      "!(host == x || host == y) && attribute:t =~ 'a(b|c)' && attribute:p !in ['a,b', \"\"]",
      "attribute:x == 'a&&b' or attribute:x == 'back\\\\slash'",
  };
  for (const auto& t : texts) {
    const std::string once = Parse(t).Describe();
    INFO(t << " -> " << once);
    CHECK(Parse(once).Describe() == once);
  }
  TestHost h;
  h.attributes = {{"x", "a&&b"}};
  CHECK(Eval(Parse("attribute:x == 'a&&b'").Describe(), h));
}

TEST_CASE("query parse errors say what was expected, with the column", "[query]") {
  struct Case {
    std::string text;
    int column;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", 1,
       "expected a subject (attribute:NAME, instanceId, host, runningTasksCount or task:group)"},
      {"   ", 4,
       "expected a subject (attribute:NAME, instanceId, host, runningTasksCount or task:group)"},
      {"attribute:zone", 15, "expected an operator after \"attribute:zone\""},
      {"attribute:zone a", 16, "expected an operator after \"attribute:zone\""},
      {"attribute:zone = a", 16, "expected an operator after \"attribute:zone\""},
      {"attribute: == a", 11, "expected an attribute name after \"attribute:\""},
      {"registeredAt > 2018-01-01", 1,
       "unknown subject \"registeredAt\"; expected attribute:NAME, instanceId, host, "
       "runningTasksCount or task:group"},
      {"attribute:zone ==", 18, "expected a value after \"==\""},
      {"attribute:zone equals )", 23, "expected a value after \"equals\""},
      {"attribute:zone in a", 19, "expected a list like [a, b] after \"in\""},
      {"attribute:zone not_in", 22, "expected a list like [a, b] after \"not_in\""},
      {"attribute:zone in [a b]", 22, "expected \",\" or \"]\" in the list"},
      {"attribute:zone in [a,", 22, "expected a value in the list"},
      {"attribute:zone in []", 20, "expected a value in the list"},
      {"attribute:zone == 'a", 19, "unterminated quoted value"},
      {"(attribute:zone == a", 21, "expected \")\" to close the \"(\" at column 1"},
      {"attribute:zone == a)", 20, "unexpected \")\" without a matching \"(\""},
      {"attribute:zone == a b", 21, "expected \"and\", \"or\" or the end of the expression"},
      {"attribute:zone == a and", 24,
       "expected a subject (attribute:NAME, instanceId, host, runningTasksCount or task:group)"},
      {"not", 4,
       "expected a subject (attribute:NAME, instanceId, host, runningTasksCount or task:group)"},
      {"runningTasksCount > many", 21, "runningTasksCount: expected an integer, got \"many\""},
      {"runningTasksCount in [1, x]", 26, "runningTasksCount: expected an integer, got \"x\""},
      {"runningTasksCount =~ 1.*", 19, "operator \"=~\" does not apply to runningTasksCount"},
      {"runningTasksCount exists", 19, "operator \"exists\" does not apply to runningTasksCount"},
      {"host > web-1", 6, "operator \">\" does not apply to host"},
      {"task:group < x", 12, "operator \"<\" does not apply to task:group"},
      {"attribute:t =~ 'x['", 16, "invalid regular expression \"x[\""},
  };
  for (const auto& c : cases) {
    ParseError e = Error(c.text);
    INFO("'" << c.text << "'");
    CHECK(e.message == c.message);
    CHECK(e.column == c.column);
  }
}

TEST_CASE("query parse error text for diagnostics", "[query]") {
  auto q = ParseQuery("attribute:zone a");
  REQUIRE_FALSE(q.ok());
  CHECK(q.status().message() ==
        "memberOf: expected an operator after \"attribute:zone\" at column 16");
}

TEST_CASE("query evaluation reads the facts the scheduler fills", "[query]") {
  auto q = Parse("attribute:zone in [a, b] and not (task:group == db) and runningTasksCount < 2");
  CHECK(q.DependsOnTasks());
  std::map<std::string, std::string> attrs = {{"zone", "b"}};
  std::vector<std::string> groups = {"service:web"};
  HostFacts f{"h1", &attrs, 1, groups};
  CHECK(q.Matches(f));
  groups.push_back("service:db");
  f.task_groups = groups;
  CHECK_FALSE(q.Matches(f));
  groups.pop_back();
  f.task_groups = groups;
  f.running_tasks_count = 2;
  CHECK_FALSE(q.Matches(f));
  f.running_tasks_count = 0;
  attrs["zone"] = "c";
  CHECK_FALSE(q.Matches(f));
  CHECK_FALSE(Parse("attribute:zone == a").DependsOnTasks());
}

TEST_CASE("task:group on sorted groups (binary search) agrees with the scan", "[query]") {
  const std::vector<std::vector<std::string>> sets = {
      {}, {"service:db"}, {"service:web"}, {"service:api", "service:db", "service:web"}};
  const std::vector<std::string> queries = {
      "task:group == db",        "task:group != db",          "task:group != web",
      "task:group in [db, api]", "task:group in [x, y]",      "not (task:group == web)",
      "task:group !in [db]",     "task:group =~ service:d.*", "task:group exists"};
  for (const auto& text : queries) {
    Query q = Parse(text);
    for (const auto& groups : sets) {
      HostFacts scan{"h1", nullptr, 0, groups};
      HostFacts sorted = scan;
      sorted.task_groups_sorted = true;
      INFO(text << " on " << groups.size() << " groups");
      CHECK(q.Matches(sorted) == q.Matches(scan));
    }
  }
  std::vector<std::string> one = {"service:db"};
  HostFacts f{"h1", nullptr, 0, one, true};
  CHECK(Parse("task:group == db").Matches(f));
  CHECK_FALSE(Parse("task:group != db").Matches(f));
  CHECK(Parse("task:group in [web, db]").Matches(f));
}

}  // namespace stowage::query

namespace stowage::query {
namespace {

// A small seeded generator of valid expressions (xorshift; deterministic).
class ExprGen {
 public:
  explicit ExprGen(std::uint64_t seed) : s_(seed) {}
  std::string Expr(int depth) {
    switch (depth > 0 ? Below(6) : 0) {
      case 1:
        return Expr(depth - 1) + Pick({" and ", " && ", " or ", " || "}) + Expr(depth - 1);
      case 2:
        return Below(2) ? std::string(Pick({"not(", "! ("})) + Expr(depth - 1) + ")"
                        : std::string(Pick({"not ", "!"})) + Expr(0);
      case 3:
        return "(" + Expr(depth - 1) + ")";
      default:
        return Condition();
    }
  }

 private:
  std::string Condition() {
    switch (Below(5)) {
      case 0:
        return "attribute:zone " + std::string(Pick({"==", "!=", "in", "!in", "=~", "exists"})) +
               Arg(true);
      case 1:
        return "runningTasksCount " + std::string(Pick({"<", ">=", "==", "!in"})) + Arg(false);
      case 2:
        return "task:group " + std::string(Pick({"==", "!=", "in", "!exists"})) + Arg(true);
      case 3:
        return "host " + std::string(Pick({"==", "!=", "=~"})) + Arg(true);
      default:
        return "attribute:cores " + std::string(Pick({">", "<=", "=="})) + Arg(false);
    }
  }
  std::string Arg(bool text) {
    // The operator was just chosen; derive the argument shape from it.
    return text ? Pick({" a", " 'b c'", " [a, b]", " \"web\"", " .*"}) : Pick({" 1", " 3", " 8"});
  }
  const char* Pick(std::initializer_list<const char*> items) {
    return items.begin()[Below(static_cast<int>(items.size()))];
  }
  int Below(int n) {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return static_cast<int>(s_ % static_cast<std::uint64_t>(n));
  }
  std::uint64_t s_;
};

std::vector<TestHost> SampleHosts() {
  std::vector<TestHost> hosts;
  for (int i = 0; i < 6; ++i) {
    TestHost h;
    h.name = i % 2 ? "a" : "web-" + std::to_string(i);
    if (i % 3) h.attributes = {{"zone", i % 2 ? "a" : "b c"}, {"cores", std::to_string(i * 2)}};
    h.running = i;
    if (i > 2) h.groups = {"service:web", "service:a"};
    hosts.push_back(h);
  }
  return hosts;
}

}  // namespace

TEST_CASE("query generated expressions: canonical text is stable and equivalent", "[query]") {
  ExprGen gen(0x5eed);
  const auto hosts = SampleHosts();
  int parsed = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string text = gen.Expr(3);
    auto q = ParseQuery(text);
    if (!q.ok()) continue;  // e.g. `in` given a single value, `exists` given one
    ++parsed;
    const std::string canonical = q->Describe();
    auto again = ParseQuery(canonical);
    INFO(text << " -> " << canonical);
    REQUIRE(again.ok());
    CHECK(again->Describe() == canonical);
    for (const auto& h : hosts) CHECK(again->Matches(h.Facts()) == q->Matches(h.Facts()));
  }
  CHECK(parsed > 500);
}

TEST_CASE("query parser never reads past the text; errors point inside it", "[query]") {
  const std::string alphabet =
      "attribute:zone host task:group runningTasksCount ()[],'\"!=~<>&| "
      "and or not in exists a 1";
  std::uint64_t s = 42;
  auto next = [&] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(s >> 33);
  };
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    for (std::size_t n = next() % 24; n > 0; --n)
      text.push_back(alphabet[next() % alphabet.size()]);
    ParseError e;
    auto q = ParseQuery(text, &e);
    if (q.ok()) {
      CHECK(ParseQuery(q->Describe()).ok());
    } else {
      INFO("'" << text << "' " << e.ToString());
      CHECK(e.column >= 1);
      CHECK(e.column <= static_cast<int>(text.size()) + 1);
      CHECK_FALSE(e.message.empty());
    }
  }
}

}  // namespace stowage::query
