#include "render/change_line.h"

#include <cstdio>

namespace stowage::render {
namespace {

using Json = nlohmann::ordered_json;

// Compact JSON, every control and non-ASCII character escaped.
std::string Value(const Json& v) { return v.dump(-1, ' ', true, Json::error_handler_t::replace); }

// A string from the plan (a path, a host, a reason): printed as is, except
// control characters (C0, DEL and C1), which are escaped the way JSON would.
std::string Printable(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  char buf[8];
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    unsigned code = b;
    bool c1 = b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(s[i + 1]) <= 0x9F;
    if (c1) code = static_cast<unsigned char>(s[++i]);
    if (code < 0x20 || code == 0x7F || c1) {
      std::snprintf(buf, sizeof buf, "\\u%04x", code);
      out += buf;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string ChangeLine(const Json& change) {
  std::string op = change["op"];
  std::string path = Printable(change["path"]);
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
  return Printable(drift["host"]) + " task " + Printable(drift["task_id"]) + ": " +
         Printable(drift["what"]);
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
