#include "render/plan_markdown.h"

#include <algorithm>

#include "render/change_line.h"
#include "render/diagnostics.h"
#include "render/plan_targets.h"
#include "render/plan_text.h"
#include "render/release_order.h"
#include "util/printable.h"

namespace stowage::render {
namespace {

using Json = nlohmann::ordered_json;

// Blocks longer than this are cut; lines longer than kMaxLine are shortened.
constexpr std::size_t kMaxBlock = 16 * 1024;
constexpr std::size_t kMaxLine = 1000;
// Fold a code block of more lines than this.
constexpr std::size_t kFoldLines = 20;
// Room kept in every part for its "part k of n" header.
constexpr std::size_t kPartHeader = 128;

// Inline text: control characters escaped (util/printable.h), Markdown and
// HTML punctuation backslash-escaped or replaced.
std::string Inline(const std::string& text) {
  std::string out;
  for (char ch : Printable(text)) {
    if (ch == '<') {
      out += "&lt;";
    } else if (ch == '>') {
      out += "&gt;";
    } else if (ch == '&') {
      out += "&amp;";
    } else if (std::string_view("\\`*_[]|#~").find(ch) != std::string_view::npos) {
      out += '\\';
      out += ch;
    } else {
      out += ch;
    }
  }
  return out;
}

std::string Shortened(const std::string& line) {
  if (line.size() <= kMaxLine) return line;
  // Never cut inside a UTF-8 sequence.
  std::size_t cut = kMaxLine;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return line.substr(0, cut) + " ... (" + std::to_string(line.size() - cut) + " more characters)";
}

// A fence longer than any run of backticks in `body`.
std::string Fence(const std::string& body) {
  std::size_t longest = 0, run = 0;
  for (char ch : body) {
    run = ch == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::string CodeBlock(const std::string& language, const std::string& body) {
  std::string fence = Fence(body);
  return fence + language + "\n" + body + fence + "\n";
}

std::string Folded(const std::string& summary, const std::string& inner) {
  return "<details><summary>" + summary + "</summary>\n\n" + inner + "\n</details>\n";
}

// `lines` as one or more code blocks (cut at line boundaries, each block
// under kMaxBlock), folded under `summary` when long: units that are each
// complete in themselves.
std::vector<std::string> CodeUnits(const std::string& language,
                                   const std::vector<std::string>& lines,
                                   const std::string& summary, bool always_fold) {
  std::vector<std::string> bodies(1);
  std::vector<std::size_t> counts(1, 0);
  for (const auto& l : lines) {
    std::string line = Shortened(l) + "\n";
    if (bodies.back().size() + line.size() > kMaxBlock && !bodies.back().empty()) {
      bodies.emplace_back();
      counts.push_back(0);
    }
    bodies.back() += line;
    ++counts.back();
  }
  std::vector<std::string> units;
  bool fold = always_fold || lines.size() > kFoldLines || bodies.size() > 1;
  std::size_t first = 1;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    std::string block = CodeBlock(language, bodies[i]);
    if (!fold) {
      units.push_back(block);
    } else if (bodies.size() == 1) {
      units.push_back(Folded(summary, block));
    } else {
      units.push_back(Folded(summary + " (lines " + std::to_string(first) + "-" +
                                 std::to_string(first + counts[i] - 1) + " of " +
                                 std::to_string(lines.size()) + ")",
                             block));
    }
    units.back() += "\n";
    first += counts[i];
  }
  return units;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string Plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Short(const std::string& revision) { return revision.substr(0, 12); }

std::string Table(const Json& s) {
  ServiceActions c = CountServiceActions(s);
  std::string revision = Short(s["revision"]);
  if (s.contains("deployment")) {
    revision = Short(s["deployment"]["from_revision"]) + " → " + revision;
  }
  return "| " + ServiceKind(s) +
         " | strategy | desired | running | revision | tasks to start | to stop |\n"
         "|---|---|---|---|---|---|---|\n"
         "| **" +
         Inline(s["service"]) + "** | " + Inline(s["scheduling_strategy"]) + " | " +
         std::to_string(s["desired"].get<int>()) + " | " + std::to_string(s["running"].get<int>()) +
         " | " + Inline(revision.empty() ? "-" : revision) + " | " + std::to_string(c.start) +
         " | " + std::to_string(c.stop) + " |\n";
}

// Terraform's `~` is GitHub's `!` in a diff block (coloured as a change).
std::string DiffLine(const Json& change) {
  std::string line = ChangeLine(change);
  if (!line.empty() && line[0] == '~') line[0] = '!';
  return line;
}

void ServiceUnits(const Json& s, std::vector<std::string>& units) {
  std::string head = "### " + Inline(s["service"]) + "\n\n" + Table(s) + "\n";
  std::string note = ComparedWithNote(s);
  if (!note.empty() && ServiceKind(s) != "create") head += "_" + Inline(note) + "_\n\n";
  std::size_t blocked = 0;
  for (const auto& b : s["blocked"]) blocked += b["count"].get<std::size_t>();
  if (blocked > 0) {
    head += "**" + Plural(blocked, "task cannot", "tasks cannot") +
            " be placed** (reasons under Actions)\n\n";
  }
  units.push_back(head);
  std::vector<std::string> lines;
  for (const auto& c : s["changes"]) lines.push_back(DiffLine(c));
  if (!lines.empty()) {
    auto diff = CodeUnits("diff", lines, Plural(lines.size(), "change", "changes"),
                          ServiceKind(s) == "create");
    units.insert(units.end(), diff.begin(), diff.end());
  }
  lines.clear();
  for (const auto& d : s["drift"]) lines.push_back(DriftLine(d));
  if (!lines.empty()) {
    auto drift = CodeUnits(
        "text", lines, "Changed outside stowage: " + Plural(lines.size(), "task", "tasks"), true);
    units.insert(units.end(), drift.begin(), drift.end());
  }
  ServiceActions c = CountServiceActions(s);
  auto actions = CodeUnits(
      "text", SplitLines(RenderServiceActions(s)),
      "Actions: " + std::to_string(c.start) + " to start, " + std::to_string(c.stop) + " to stop",
      true);
  units.insert(units.end(), actions.begin(), actions.end());
}

std::string List(const Json& items, const char* label) {
  std::string out;
  for (const auto& item : items) {
    out += "- **" + std::string(label) + "**: " + Inline(Shortened(item.get<std::string>())) + "\n";
  }
  return out;
}

// Packs units into parts under `limit`, each headed "part k of n" when there
// are several.
std::vector<std::string> Pack(const std::vector<std::string>& units, std::size_t limit) {
  std::size_t room = limit - kPartHeader;
  std::vector<std::string> parts(1);
  for (const auto& u : units) {
    if (!parts.back().empty() && parts.back().size() + u.size() >= room) parts.emplace_back();
    parts.back() += u;
  }
  if (parts.size() > 1) {
    for (std::size_t i = 0; i < parts.size(); ++i) {
      parts[i] = "_stowage plan, part " + std::to_string(i + 1) + " of " +
                 std::to_string(parts.size()) + "_\n\n" + parts[i];
    }
  }
  return parts;
}

}  // namespace

std::vector<std::string> RenderPlanMarkdown(const Json& plan_json, std::size_t limit) {
  std::vector<std::string> units;
  std::string head = "**" + PlanSummaryLine(plan_json) + "**\n\n";
  head += "stowage plan for cluster **" + Inline(plan_json["cluster"]) + "**";
  std::string revision = plan_json["source_revision"];
  if (!revision.empty()) head += " at " + Inline(Short(revision));
  head += "\n";
  int blocked = plan_json["summary"]["blocked_services"];
  if (blocked > 0) {
    head += "\n" + Plural(static_cast<std::size_t>(blocked), "service", "services") +
            " blocked (tasks that cannot be placed)\n";
  }
  units.push_back(head + "\n");
  std::string notes = List(plan_json["errors"], "error") + List(plan_json["warnings"], "warning");
  if (!notes.empty()) {
    for (const auto& line : SplitLines(notes)) units.push_back(line + "\n");
    units.push_back("\n");
  }
  if (auto lines = ReleaseOrderLines(plan_json); !lines.empty()) {
    units.push_back("**" + Inline(ReleaseOrderHeading(plan_json)) + "**\n\n");
    for (const auto& line : lines) units.push_back("- " + Inline(Shortened(line)) + "\n");
    units.push_back("\n");
  }
  for (const auto& s : plan_json["services"]) ServiceUnits(s, units);
  for (const auto& group : PlanTargetLines(plan_json)) {
    units.push_back("### " + Inline(group.heading) + "\n\n");
    std::vector<std::string> lines;
    for (const auto& line : group.lines) lines.push_back(Printable(line));
    auto block = CodeUnits("diff", lines, Plural(lines.size(), "target", "targets"), false);
    units.insert(units.end(), block.begin(), block.end());
  }
  return Pack(units, limit);
}

std::vector<std::string> RenderDiagnosticsMarkdown(const Diagnostics& diags,
                                                   const std::string& path_prefix,
                                                   std::size_t limit) {
  std::vector<std::string> units;
  units.push_back("**The source does not validate: " +
                  Plural(static_cast<std::size_t>(diags.errors()), "error", "errors") + ", " +
                  Plural(static_cast<std::size_t>(diags.warnings()), "warning", "warnings") +
                  ".** Nothing would be applied.\n\n");
  for (const auto& d : diags.items()) {
    Position place = d.position;
    place.file = DisplayPath(path_prefix, place.file);
    std::string where = FormatPosition(place);
    units.push_back("- " + (where.empty() ? "" : "**" + Inline(where) + "**: ") +
                    SeverityName(d.severity) + ": " + Inline(Shortened(d.message)) + "\n");
  }
  return Pack(units, limit);
}

}  // namespace stowage::render
