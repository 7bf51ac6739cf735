// The Markdown form of a plan, for a pull-request comment (GitHub-flavoured),
// rendered from the plan's JSON form like the text form.
//
// The one-line summary first (PlanSummaryLine of render/plan_text.h: `Plan: 2
// services to update, 1 to create, 0 to remove; 7 tasks to start, 4 to stop`,
// or `No changes.`), warnings and
// errors, then per service a short table, the field-level changes in a
// ```diff block (`!` marks a changed field, so GitHub colours it), what was
// changed outside stowage and the actions folded in <details>. Long blocks
// are folded and cut into several blocks at line boundaries. The whole is
// split into parts shorter than a limit (a GitHub comment holds 65,536
// characters), only between blocks: never inside a code block or a
// <details>. A fence is always longer than any run of backticks inside it,
// so a value cannot close it. Values are escaped as in the text form; no
// secret is in a plan to begin with.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"

namespace stowage::render {

inline constexpr std::size_t kMarkdownPartLimit = 65536;

// The parts, in order (one when it fits); each is shorter than `limit`
// characters (bytes; `limit` at least 4096).
std::vector<std::string> RenderPlanMarkdown(const nlohmann::ordered_json& plan_json,
                                            std::size_t limit = kMarkdownPartLimit);

// A source that does not validate: the count, then one list item per
// diagnostic with its place (`web.yaml:3:15`), split like a plan.
std::vector<std::string> RenderDiagnosticsMarkdown(const Diagnostics& diags,
                                                   const std::string& path_prefix,
                                                   std::size_t limit = kMarkdownPartLimit);

}  // namespace stowage::render
