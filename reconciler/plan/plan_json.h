// The plan's JSON form: what `plan --json` and `plan --out` write, what the
// text renderer reads, and what `apply PLANFILE` executes.
//
// Versioned by `format_version` (kPlanFormatVersion); documented in
// man/stowage-plan.5. Writing is deterministic (fixed key order, two-space
// indent, trailing newline), so the same Plan gives byte-identical text.
// Reading is strict: an unknown key, a wrong type, a missing field, an
// unknown action type, another format version or a summary that does not add
// up is an Invalid status naming the JSON path ("services[0].steps[1]
// .actions[2].type: expected one of start, stop, remove, got \"go\"").
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "plan/plan.h"

namespace stowage::plan {

nlohmann::ordered_json PlanToJson(const Plan& plan);
// PlanToJson(plan) dumped with a two-space indent and a trailing newline.
std::string PlanToJsonText(const Plan& plan);

Result<Plan> PlanFromJson(const nlohmann::ordered_json& json);
// Parses `text` (a syntax error names line and column) then PlanFromJson.
Result<Plan> ParsePlanJson(std::string_view text);
// Reads a plan file; errors are prefixed with `path: `.
Result<Plan> ReadPlanFile(const std::string& path);

}  // namespace stowage::plan
