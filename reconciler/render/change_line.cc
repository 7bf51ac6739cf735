#include "render/change_line.h"

#include "util/printable.h"

namespace stowage::render {
namespace {

using Json = nlohmann::ordered_json;

// Compact JSON, every control and non-ASCII character escaped.
std::string Value(const Json& v) { return v.dump(-1, ' ', true, Json::error_handler_t::replace); }

}  // namespace

std::string ChangeLine(const Json& change) {
  std::string op = change["op"];
  std::string path = Printable(change["path"].get<std::string>());
  bool sensitive = change.value("sensitive", false);
  if (op == "add") {
    if (sensitive) return "+ " + path + ": (sensitive value)";
    return "+ " + path + (change.contains("after") ? ": " + Value(change["after"]) : "");
  }
  if (op == "remove") {
    if (sensitive) return "- " + path;
    return "- " + path + (change.contains("before") ? ": " + Value(change["before"]) : "");
  }
  if (sensitive) return "~ " + path + ": (sensitive value changed)";
  return "~ " + path + ": " + Value(change.value("before", Json())) + " -> " +
         Value(change.value("after", Json()));
}

std::string DriftLine(const Json& drift) {
  return Printable(drift["host"].get<std::string>()) + " task " +
         Printable(drift["task_id"].get<std::string>()) + ": " +
         Printable(drift["what"].get<std::string>());
}

std::string ComparedWithNote(const Json& service) {
  std::string compared = service.value("compared_with", "running");
  if (compared == "nothing") return "new service: nothing of it runs yet";
  if (compared == "unrecorded") {
    return "what runs is not known field by field: its containers do not record their "
           "definition (started by an older stowage)";
  }
  return "";
}

}  // namespace stowage::render
