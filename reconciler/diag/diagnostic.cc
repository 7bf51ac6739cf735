#include "diag/diagnostic.h"

#include <algorithm>
#include <tuple>

#include "util/printable.h"

namespace stowage {

const char* SeverityName(Severity s) { return s == Severity::kError ? "error" : "warning"; }

std::string FormatPosition(const Position& p) {
  std::string out = Printable(p.file);
  if (p.line > 0) {
    out += ":" + std::to_string(p.line);
    if (p.column > 0) out += ":" + std::to_string(p.column);
  }
  return out;
}

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out = FormatPosition(d.position);
  if (!out.empty()) out += ": ";
  out += SeverityName(d.severity);
  out += ": ";
  out += Printable(d.message);
  return out;
}

void Diagnostics::Error(const Position& pos, std::string message) {
  Add({Severity::kError, pos, std::move(message)});
}

void Diagnostics::Warning(const Position& pos, std::string message) {
  Add({Severity::kWarning, pos, std::move(message)});
}

void Diagnostics::Add(Diagnostic d) {
  if (d.severity == Severity::kError) ++errors_;
  items_.push_back(std::move(d));
}

void Diagnostics::Append(const Diagnostics& other) {
  for (const auto& d : other.items_) Add(d);
}

void Diagnostics::Sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.position.file, a.position.line, a.position.column) <
           std::tie(b.position.file, b.position.line, b.position.column);
  });
}

}  // namespace stowage
