#include "history/record.h"

#include <nlohmann/json.hpp>
#include <random>
#include <set>

namespace stowage::history {
namespace {

using Json = nlohmann::json;

constexpr const char* kOutcomes[] = {"converged", "rolled back", "failed", "blocked"};
constexpr const char* kCommands[] = {"apply", "watch", "rollback"};

// At most `max` bytes of `s`, cut on a UTF-8 character boundary.
std::string Cut(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

bool AllOf(const std::string& s, bool (*ok)(char)) {
  for (char c : s) {
    if (!ok(c)) return false;
  }
  return true;
}
bool Hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool Alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool RevisionChar(char c) { return Alnum(c) || c == '-' || c == '_' || c == '.'; }
bool NameChar(char c) { return Alnum(c) || c == '-' || c == '_'; }
bool NoControl(char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; }

class Reader {
 public:
  explicit Reader(const Json& j) : j_(j) {}

  // A string field: required unless `optional`, at most `max` bytes, each
  // character passing `ok`.
  Status Text(const char* key, std::string& out, std::size_t min, std::size_t max, bool (*ok)(char),
              bool optional = false) {
    auto it = j_.find(key);
    if (it == j_.end()) {
      return optional ? Status::Ok() : Error(key, "missing");
    }
    if (!it->is_string()) return Error(key, "expected a string");
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() < min || s.size() > max) {
      return Error(key, "expected " + std::to_string(min) + " to " + std::to_string(max) +
                            " bytes, got " + std::to_string(s.size()));
    }
    if (!AllOf(s, ok)) return Error(key, "unexpected character");
    out = s;
    return Status::Ok();
  }

  Status Int(const char* key, std::int64_t& out, std::int64_t max, bool optional = false) {
    auto it = j_.find(key);
    if (it == j_.end()) return optional ? Status::Ok() : Error(key, "missing");
    if (!it->is_number_integer()) return Error(key, "expected an integer");
    auto v = it->get<std::int64_t>();
    if (v < 0 || v > max) return Error(key, "expected 0 to " + std::to_string(max));
    out = v;
    return Status::Ok();
  }

  template <std::size_t N>
  Status OneOf(const char* key, const char* const (&names)[N], std::size_t& index) {
    std::string v;
    if (auto st = Text(key, v, 1, 32, NoControl); !st.ok()) return st;
    for (std::size_t i = 0; i < N; ++i) {
      if (v == names[i]) {
        index = i;
        return Status::Ok();
      }
    }
    return Error(key, "unknown value");
  }

  static Status Error(const char* key, const std::string& what) {
    return Status::Invalid(std::string("record: field \"") + key + "\": " + what);
  }

 private:
  const Json& j_;
};

Status DecodeServices(const Json& j, Record& r) {
  auto it = j.find("svc");
  if (it == j.end()) return Status::Ok();
  if (!it->is_array() || it->size() > kMaxServices) {
    return Reader::Error("svc", "expected at most " + std::to_string(kMaxServices) + " services");
  }
  for (const auto& e : *it) {
    if (!e.is_array() || e.size() != 4) {
      return Reader::Error("svc", "expected [service, before, after, target]");
    }
    std::string parts[4];
    for (std::size_t i = 0; i < 4; ++i) {
      if (!e[i].is_string()) return Reader::Error("svc", "expected strings");
      parts[i] = e[i].get<std::string>();
      std::size_t max = i == 0 ? kMaxName : 64;
      if (parts[i].size() > max || (i == 0 && parts[i].empty()) ||
          !AllOf(parts[i], i == 0 ? NameChar : Alnum)) {
        return Reader::Error("svc", "not a service name or revision");
      }
    }
    r.services.push_back({parts[0], parts[1], parts[2], parts[3]});
  }
  return Status::Ok();
}

}  // namespace

const char* OutcomeName(Outcome o) { return kOutcomes[static_cast<int>(o)]; }

std::vector<std::string> Quarantined(const std::vector<Record>& records) {
  std::set<std::string> decided;
  std::vector<std::string> out;
  for (const auto& r : records) {
    if (!r.head.empty() && r.head != r.revision && decided.insert(r.head).second) {
      out.push_back(r.head);
    }
    if (!decided.insert(r.revision).second) continue;
    if (r.outcome == Outcome::kRolledBack) out.push_back(r.revision);
  }
  return out;
}

std::string LastGood(const std::vector<Record>& records) {
  for (const auto& r : records) {
    if (r.outcome == Outcome::kConverged || r.outcome == Outcome::kBlocked) return r.revision;
  }
  return "";
}

std::string NewRecordId() {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> dist;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(dist(rd)));
  return buf;
}

std::string EncodeRecord(const Record& r) {
  Json j = {{"v", 1},
            {"id", r.id},
            {"t", r.time},
            {"by", Cut(r.by, kMaxName)},
            {"cmd", r.command},
            {"rev", r.revision},
            {"out", OutcomeName(r.outcome)}};
  if (r.git) {
    j["git"] = true;
    j["au"] = Cut(r.author, kMaxText);
    j["su"] = Cut(r.subject, kMaxText);
  }
  if (!r.reason.empty()) j["why"] = Cut(r.reason, kMaxText);
  if (!r.head.empty()) j["head"] = r.head;
  std::size_t listed = std::min(r.services.size(), kMaxServices);
  while (true) {
    Json svc = Json::array();
    for (std::size_t i = 0; i < listed; ++i) {
      const auto& s = r.services[i];
      svc.push_back({s.service, s.before, s.after, s.target});
    }
    j["svc"] = std::move(svc);
    int more = r.more_services + static_cast<int>(r.services.size() - listed);
    if (more > 0) j["more"] = more;
    // Replace invalid UTF-8 (a commit subject is bytes) rather than throw.
    std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (text.size() <= kMaxRecordBytes || listed == 0) return text;
    --listed;
  }
}

Result<Record> DecodeRecord(const std::string& text) {
  if (text.size() > kMaxRecordBytes) {
    return Status::Invalid("record: " + std::to_string(text.size()) + " bytes, at most " +
                           std::to_string(kMaxRecordBytes));
  }
  // No exceptions; invalid JSON and invalid UTF-8 give a discarded value.
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Invalid("record: not a JSON object");
  Reader in(j);
  Record r;
  std::int64_t version = 0, more = 0;
  std::size_t outcome = 0, command = 0;
  if (auto st = in.Int("v", version, 1000); !st.ok()) return st;
  if (version != 1) return Reader::Error("v", "unknown version " + std::to_string(version));
  Status checks[] = {
      in.Text("id", r.id, 16, 16, Hex),
      in.Int("t", r.time, std::int64_t{1} << 42),
      in.Text("by", r.by, 1, kMaxName, NoControl),
      in.OneOf("cmd", kCommands, command),
      in.Text("rev", r.revision, 1, 80, RevisionChar),
      in.OneOf("out", kOutcomes, outcome),
      in.Text("au", r.author, 0, kMaxText, NoControl, true),
      in.Text("su", r.subject, 0, kMaxText, NoControl, true),
      in.Text(
          "why", r.reason, 0, kMaxText, [](char) { return true; }, true),
      in.Int("more", more, 1000000, true),
      in.Text("head", r.head, 1, 80, RevisionChar, true),
  };
  for (const auto& st : checks) {
    if (!st.ok()) return st;
  }
  if (auto it = j.find("git"); it != j.end()) {
    if (!it->is_boolean()) return Reader::Error("git", "expected true or false");
    r.git = it->get<bool>();
  }
  if (auto st = DecodeServices(j, r); !st.ok()) return st;
  r.command = kCommands[command];
  r.outcome = static_cast<Outcome>(outcome);
  r.more_services = static_cast<int>(more);
  return r;
}

}  // namespace stowage::history
