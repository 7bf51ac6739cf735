// How one field-level change (plan/definition_diff.h) and one drift note of a
// plan are printed, by the text and the Markdown renderers alike, from the
// plan's JSON form:
//   ~ desiredCount: 3 -> 5
//   + containerDefinitions["web"].environment.LOG_LEVEL: "debug"
//   - containerDefinitions["web"].portMappings[8080/tcp]
//   ~ containerDefinitions["web"].secrets.DB: (sensitive value changed)
// Values are compact JSON with every control and non-ASCII character escaped,
// paths and drift notes go through Printable (util/printable.h), so nothing a
// commit writes can move the cursor of a terminal.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace stowage::render {

std::string ChangeLine(const nlohmann::ordered_json& change);
// "web-1 task t1: app memory 128 MiB (defined 64 MiB)"
std::string DriftLine(const nlohmann::ordered_json& drift);
// What the service's changes were compared with, when it is not what runs:
// "new service: nothing runs yet" / "what runs was not recorded (...)"; "" otherwise.
std::string ComparedWithNote(const nlohmann::ordered_json& service);

}  // namespace stowage::render
