// The human text form of a plan, rendered from its JSON form.
//
// `stowage plan` prints this; it is never computed from the planner's data
// separately: RenderPlanText takes the JSON that `plan --json` prints (see
// plan/plan_json.h), so the two can never disagree. Output: per service a
// header, the deployment line, then step by step and host by host one line per
// action with a marker (`+` start, `-` stop/remove, `~` both halves of a
// replacement) and its reason; blocked tasks with one reason per host line;
// warnings and errors; and always a last line, the summary the Markdown form
// opens with (`Plan: 2 services to update, 1 to create, 0 to remove; 7 tasks
// to start, 4 to stop`, or `No changes.`), then `; 1 service blocked` when so
// (`No changes; 1 service blocked`).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "plan/plan.h"

namespace stowage::render {

struct TextStyle {
  bool color = false;  // ANSI colours (only on a terminal, never with NO_COLOR)
};

// `plan_json` must be a valid plan (PlanToJson output or a file that
// PlanFromJson accepted).
std::string RenderPlanText(const nlohmann::ordered_json& plan_json, const TextStyle& style);
// One service's actions as RenderPlanText prints them (steps, hosts, actions,
// blocked tasks), without colour: what the Markdown form folds.
std::string RenderServiceActions(const nlohmann::ordered_json& service);
// RenderPlanText(PlanToJson(plan), style).
std::string RenderPlanText(const plan::Plan& plan, const TextStyle& style);

// "create" (nothing runs yet), "remove" (no longer in the source) or "update".
std::string ServiceKind(const nlohmann::ordered_json& service);

// A service's actions over all its steps (a replacement is one of each).
struct ServiceActions {
  int start = 0;
  int stop = 0;
};
ServiceActions CountServiceActions(const nlohmann::ordered_json& service);

// "Plan: 2 services to update, 1 to create, 0 to remove; 7 tasks to start, 4
// to stop", or "No changes." when no service has an action: the one-line
// summary of the text and the Markdown forms.
std::string PlanSummaryLine(const nlohmann::ordered_json& plan_json);

// Colour on `fd` when it is a terminal and NO_COLOR is unset or empty.
bool ColorWanted(int fd);

}  // namespace stowage::render
