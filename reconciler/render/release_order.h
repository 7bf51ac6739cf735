// The release order of a plan in words, shared by the text and Markdown forms.
//
// Rendered from the `order` of a plan's JSON form (plan/plan_json.h): one line per wave
// ("wave 2: api (after db HEALTHY, task migrate SUCCESS)"), then one line per
// gate that does not wait and why ("not waiting: web on cache STARTED (cache
// has nothing to deploy)"). Nothing at all when no planned service has a
// dependsOn: the order then says nothing a reader needs.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stowage::render {

// The heading "Release order (N waves):" is the caller's; the lines carry no
// indent and no escaping (the callers escape for their medium).
std::vector<std::string> ReleaseOrderLines(const nlohmann::ordered_json& plan_json);

// "Release order (3 waves):" ("1 wave").
std::string ReleaseOrderHeading(const nlohmann::ordered_json& plan_json);

}  // namespace stowage::render
