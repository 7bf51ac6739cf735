#include "load/parse.h"

#include <algorithm>
#include <numeric>

namespace stowage::load {
namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix.data(), suffix.size()) == 0;
}

void ReportDuplicate(const Member& first, const Member& again, Diagnostics& diags) {
  diags.Error(again.key_loc.ToPosition(), "duplicate key \"" + again.key + "\" (first at line " +
                                              std::to_string(first.key_loc.line) + ", column " +
                                              std::to_string(first.key_loc.column) + ")");
}

}  // namespace

bool CheckDuplicateKeys(const Value& object, Diagnostics& diags) {
  const auto& ms = object.members;
  bool ok = true;
  if (ms.size() <= 16) {
    for (size_t i = 1; i < ms.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (ms[j].key == ms[i].key) {
          ReportDuplicate(ms[j], ms[i], diags);
          ok = false;
          break;
        }
      }
    }
    return ok;
  }
  // Large objects: sort indices by (key, index) so each run starts with the first occurrence.
  std::vector<size_t> order(ms.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ms[a].key < ms[b].key; });
  size_t run_start = 0;
  for (size_t i = 1; i < order.size(); ++i) {
    if (ms[order[i]].key == ms[order[run_start]].key) {
      ReportDuplicate(ms[order[run_start]], ms[order[i]], diags);
      ok = false;
    } else {
      run_start = i;
    }
  }
  return ok;
}

ParsedFile ParseFile(std::string path, std::string_view text, Diagnostics& diags) {
  ParsedFile out;
  out.path = std::make_unique<const std::string>(std::move(path));
  const std::string* file = out.path.get();
  if (text.size() > kMaxFileBytes) {
    diags.Error(Position{*file, 0, 0},
                "file too large (" + std::to_string(text.size()) + " bytes; the limit is 8 MiB)");
    return out;
  }
  if (EndsWith(*file, ".json")) {
    ParseJson(text, file, out.documents, diags);
  } else {
    ParseYaml(text, file, out.documents, diags);
  }
  return out;
}

}  // namespace stowage::load
