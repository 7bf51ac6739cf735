#include "render/diagnostics.h"

#include <nlohmann/json.hpp>

#include "util/printable.h"

namespace stowage::render {
namespace {

constexpr const char* kBold = "\033[1m";
constexpr const char* kRed = "\033[1;31m";
constexpr const char* kMagenta = "\033[1;35m";
constexpr const char* kReset = "\033[0m";

Diagnostic Displayed(const Diagnostic& d, const std::string& prefix) {
  Diagnostic out = d;
  out.position.file = DisplayPath(prefix, d.position.file);
  return out;
}

std::string ColoredLine(const Diagnostic& d) {
  const std::string place = FormatPosition(d.position);
  std::string out;
  if (!place.empty()) out += std::string(kBold) + place + ":" + kReset + " ";
  out += (d.severity == Severity::kError ? kRed : kMagenta);
  out += SeverityName(d.severity);
  out += std::string(":") + kReset + " ";
  return out + Printable(d.message);
}

}  // namespace

std::string DisplayPath(const std::string& prefix, const std::string& file) {
  if (file.empty() || prefix.empty() || prefix == "." || prefix == "./") return file;
  if (prefix.back() == '/') return prefix + file;
  return prefix + "/" + file;
}

std::string DiagnosticsText(const Diagnostics& diags, const DiagnosticsStyle& style) {
  std::string out;
  for (const auto& d : diags.items()) {
    const Diagnostic shown = Displayed(d, style.path_prefix);
    out += style.color ? ColoredLine(shown) : FormatDiagnostic(shown);
    out += '\n';
  }
  return out;
}

std::string DiagnosticsJson(const Diagnostics& diags, const std::string& path_prefix) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto& d : diags.items()) {
    array.push_back({{"file", DisplayPath(path_prefix, d.position.file)},
                     {"line", d.position.line},
                     {"column", d.position.column},
                     {"severity", SeverityName(d.severity)},
                     {"message", d.message}});
  }
  return array.dump(2) + "\n";
}

}  // namespace stowage::render
