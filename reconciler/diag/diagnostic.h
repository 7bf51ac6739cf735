// Diagnostics: errors and warnings about input documents, with their place.
//
// Every problem found while loading, validating or decoding a source is a
// Diagnostic carrying the file, 1-based line and column, a severity and a
// message that says what was expected. They are collected (never thrown) in a
// Diagnostics list; the CLI prints them as `path:line:col: error: message`.
#pragma once

#include <string>
#include <vector>

namespace stowage {

// A place in a source document. line/column are 1-based; 0 means unknown.
struct Position {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  Position position;
  std::string message;
};

// "path:line:col" (line/col omitted when unknown; "" for no place at all).
// The path and message of these two are printed with control characters
// escaped (util/printable.h): a file name or value cannot forge a line.
std::string FormatPosition(const Position& p);
// "path:line:col: error: message" (line/col omitted when unknown).
std::string FormatDiagnostic(const Diagnostic& d);
const char* SeverityName(Severity s);

class Diagnostics {
 public:
  void Error(const Position& pos, std::string message);
  void Warning(const Position& pos, std::string message);
  void Add(Diagnostic d);
  void Append(const Diagnostics& other);

  bool HasErrors() const { return errors_ > 0; }
  int errors() const { return errors_; }
  int warnings() const { return static_cast<int>(items_.size()) - errors_; }
  const std::vector<Diagnostic>& items() const { return items_; }
  // Stable order: by file, line, column, then insertion order.
  void Sort();

 private:
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

}  // namespace stowage
