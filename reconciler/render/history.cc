#include "render/history.h"

#include "render/table.h"
#include "util/printable.h"

namespace stowage::render {
namespace {

std::string ShortRevision(const history::Record& r, const std::string& rev) {
  return r.git ? rev.substr(0, 12) : rev;
}

std::string Rev(const std::string& rev) { return rev.empty() ? "-" : rev; }

}  // namespace

std::string HistoryText(const std::string& cluster, const history::History& h) {
  std::string out;
  if (h.records.empty()) out += "No deploy history for cluster " + cluster + ".\n";
  for (const auto& r : h.records) {
    out += UtcTime(r.time / 1000) + "  " + r.command + " by " + Printable(r.by) + "  " +
           ShortRevision(r, r.revision) + "  " + history::OutcomeName(r.outcome) + "\n";
    if (!r.head.empty()) out += "  instead of " + ShortRevision(r, r.head) + "\n";
    if (r.git) {
      out += "  commit: " + Printable(r.subject);
      if (!r.author.empty()) out += " (" + Printable(r.author) + ")";
      out += "\n";
    }
    for (const auto& s : r.services) {
      out += "  " + s.service + ": " + Rev(s.before) + " -> " + Rev(s.target);
      if (s.after != s.target) out += ", runs " + (s.after.empty() ? "?" : s.after);
      out += "\n";
    }
    if (r.more_services > 0) {
      out += "  ... and " + std::to_string(r.more_services) + " more service(s)\n";
    }
    if (!r.reason.empty()) out += "  reason: " + Printable(r.reason) + "\n";
  }
  for (const auto& s : h.skipped) out += "warning: host " + Printable(s) + "\n";
  if (h.invalid > 0) {
    out += "warning: " + std::to_string(h.invalid) +
           " history record(s) on the engines did not decode and were skipped\n";
  }
  return out;
}

nlohmann::json HistoryJson(const std::string& cluster, const history::History& h) {
  nlohmann::json records = nlohmann::json::array();
  for (const auto& r : h.records) {
    nlohmann::json services = nlohmann::json::array();
    for (const auto& s : r.services) {
      services.push_back(
          {{"service", s.service}, {"before", s.before}, {"after", s.after}, {"target", s.target}});
    }
    records.push_back({{"id", r.id},
                       {"time_ms", r.time},
                       {"by", r.by},
                       {"command", r.command},
                       {"revision", r.revision},
                       {"git", r.git},
                       {"author", r.author},
                       {"subject", r.subject},
                       {"outcome", history::OutcomeName(r.outcome)},
                       {"reason", r.reason},
                       {"instead_of", r.head},
                       {"services", services},
                       {"more_services", r.more_services}});
  }
  return {{"cluster", cluster},
          {"records", records},
          {"unreachable_hosts", h.skipped},
          {"invalid_records", h.invalid}};
}

}  // namespace stowage::render
