#include "traffic/haproxy/haproxy_router.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>
#include <thread>

namespace stowage::traffic::haproxy {
namespace {

// HAProxy names and our target names: letters, digits, '-', '_', '.', ':'.
bool SafeName(const std::string& s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    out.push_back(l);
  }
  return out;
}

int ToInt(const std::string& s, int fallback = 0) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() ? v : fallback;
}

// The answer's first line, printable only, for messages.
std::string FirstLine(const std::string& answer) {
  std::string line = answer.substr(0, answer.find('\n'));
  std::string out;
  for (char c : line.substr(0, 200)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

bool Blank(const std::string& answer) {
  return answer.find_first_not_of(" \r\n") == std::string::npos;
}

std::string Server(const std::string& pool, const std::string& name) { return pool + "/" + name; }

// srv_admin_state bits (HAProxy's enum srv_admin): forced, inherited, config,
// resolution and hostname-resolution maintenance; forced and inherited drain.
constexpr int kAdminMaint = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
constexpr int kAdminDrain = 0x08 | 0x10;
// srv_check_state: configured and enabled.
constexpr int kCheckOn = 0x02 | 0x04;
// srv_op_state and srv_check_result values.
constexpr int kOpStopped = 0;
constexpr int kOpRunning = 2;
constexpr int kCheckPassed = 3;
constexpr int kCheckCondPassed = 4;

// Current sessions per server name of `pool`, from `show stat` CSV.
std::map<std::string, int> ParseSessions(const std::string& csv, const std::string& pool) {
  std::map<std::string, int> out;
  auto lines = Lines(csv);
  if (lines.empty() || lines[0].rfind("# ", 0) != 0) return out;
  std::vector<std::string> header;
  std::stringstream hs(lines[0].substr(2));
  for (std::string f; std::getline(hs, f, ',');) header.push_back(f);
  auto col = [&](const char* name) -> std::size_t {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    return header.size();
  };
  const std::size_t px = col("pxname"), sv = col("svname"), scur = col("scur");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f;
    std::stringstream ls(lines[i]);
    for (std::string v; std::getline(ls, v, ',');) f.push_back(v);
    if (f.size() <= std::max({px, sv, scur})) continue;
    if (f[px] != pool || f[sv] == "BACKEND" || f[sv] == "FRONTEND") continue;
    out[f[sv]] = ToInt(f[scur]);
  }
  return out;
}

}  // namespace

Result<std::vector<Target>> ParseServersState(const std::string& answer) {
  auto lines = Lines(answer);
  std::vector<std::string> header;
  std::vector<Target> out;
  for (const auto& line : lines) {
    if (Blank(line)) continue;
    if (line.rfind("# ", 0) == 0) {
      header = Words(line.substr(2));
      continue;
    }
    if (header.empty()) {
      if (line == "1") continue;  // the format version
      return Status::Engine("unexpected answer to show servers state: " + FirstLine(line));
    }
    auto f = Words(line);
    if (f.size() < header.size()) continue;
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = f[i];
    Target t;
    t.name = row["srv_name"];
    t.address = row["srv_addr"];
    t.port = ToInt(row["srv_port"]);
    const int admin = ToInt(row["srv_admin_state"]);
    t.state = (admin & kAdminMaint)   ? TargetState::kMaint
              : (admin & kAdminDrain) ? TargetState::kDrain
                                      : TargetState::kReady;
    t.checked = (ToInt(row["srv_check_state"]) & kCheckOn) == kCheckOn;
    const int op = ToInt(row["srv_op_state"]);
    const int result = ToInt(row["srv_check_result"]);
    if (t.checked && op == kOpStopped) {
      t.health = TargetHealth::kDown;
    } else if (t.checked && op == kOpRunning &&
               (result == kCheckPassed || result == kCheckCondPassed)) {
      t.health = TargetHealth::kUp;
    }
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::string> HaproxyRouter::Command(const std::string& command) {
  return client_.Send(command);
}

Result<std::vector<Target>> HaproxyRouter::List(const std::string& pool) {
  if (!SafeName(pool)) return Status::Invalid("backend name " + FirstLine(pool) + " is not valid");
  auto state = Command("show servers state " + pool);
  if (!state.ok()) return state.status();
  if (state->find("Can't find backend") != std::string::npos) {
    return Status::NotFound("HAProxy has no backend \"" + pool + "\"");
  }
  auto targets = ParseServersState(*state);
  if (!targets.ok()) return targets.status();
  auto stat = Command("show stat");
  if (!stat.ok()) return stat.status();
  auto sessions = ParseSessions(*stat, pool);
  for (auto& t : *targets) {
    if (auto it = sessions.find(t.name); it != sessions.end()) t.connections = it->second;
  }
  return targets;
}

Status HaproxyRouter::Register(const std::string& pool, const Target& target) {
  if (!SafeName(pool) || !SafeName(target.name) || !SafeName(target.address) || target.port < 1 ||
      target.port > 65535) {
    return Status::Invalid("target " + FirstLine(target.name) + " (" + FirstLine(target.address) +
                           ":" + std::to_string(target.port) + ") cannot be written to HAProxy");
  }
  const std::string server = Server(pool, target.name);
  const std::string addr =
      target.address.find(':') != std::string::npos ? "[" + target.address + "]" : target.address;
  auto added = Command("add server " + server + " " + addr + ":" + std::to_string(target.port) +
                       " check inter 1s rise 2 fall 2");
  if (!added.ok()) return added.status();
  if (added->find("Already exists") != std::string::npos) {
    auto listed = List(pool);
    if (!listed.ok()) return listed.status();
    for (const auto& t : *listed) {
      if (t.name != target.name) continue;
      if (t.address == target.address && t.port == target.port) return Status::Ok();
      return Status::Conflict("HAProxy backend " + pool + " has " + target.name + " at " +
                              t.address + ":" + std::to_string(t.port) + ", not " + target.address +
                              ":" + std::to_string(target.port));
    }
  }
  if (added->find("New server registered") == std::string::npos) {
    if (added->find("No such backend") != std::string::npos) {
      return Status::NotFound("HAProxy has no backend \"" + pool + "\"");
    }
    return Status::Engine("add server " + server + ": " + FirstLine(*added));
  }
  auto health = Command("enable health " + server);
  if (!health.ok()) return health.status();
  if (!Blank(*health)) return Status::Engine("enable health " + server + ": " + FirstLine(*health));
  return SetState(pool, target.name, TargetState::kDrain);
}

Status HaproxyRouter::SetState(const std::string& pool, const std::string& name,
                               TargetState state) {
  if (!SafeName(pool) || !SafeName(name)) return Status::Invalid("target name is not valid");
  const std::string server = Server(pool, name);
  auto answer = Command("set server " + server + " state " + TargetStateName(state));
  if (!answer.ok()) return answer.status();
  if (Blank(*answer)) return Status::Ok();
  if (answer->find("No such") != std::string::npos) {
    return Status::NotFound("HAProxy backend " + pool + " has no target " + name);
  }
  return Status::Engine("set server " + server + ": " + FirstLine(*answer));
}

Status HaproxyRouter::Deregister(const std::string& pool, const std::string& name) {
  if (auto st = SetState(pool, name, TargetState::kMaint); !st.ok()) {
    return st.code() == Status::Code::kNotFound ? Status::Ok() : st;
  }
  const std::string server = Server(pool, name);
  std::string last;
  // HAProxy deletes a server only once it holds no connection, idle ones
  // included: after the drain, what is left is closed, then deletion retried.
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto answer = Command("del server " + server);
    if (!answer.ok()) return answer.status();
    if (answer->find("Server deleted") != std::string::npos ||
        answer->find("No such server") != std::string::npos) {
      return Status::Ok();
    }
    last = FirstLine(*answer);
    if (answer->find("connection") == std::string::npos) {
      return Status::Engine("del server " + server + ": " + last);
    }
    auto closed = Command("shutdown sessions server " + server);
    if (!closed.ok()) return closed.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::Conflict("del server " + server + ": " + last);
}

Result<std::shared_ptr<SshForward>> HaproxyRouterFactory::ForwardOf(
    const model::Host& host, const std::string& remote_path) {
  std::lock_guard lock(mu_);
  auto& slot = forwards_[host.endpoint + "\n" + host.host_key + "\n" + remote_path];
  if (!slot) {
    auto made = SshForward::Make(host, remote_path, ssh_);
    if (!made.ok()) return made.status();
    slot = *made;
  }
  return slot;
}

Result<std::shared_ptr<Router>> HaproxyRouterFactory::Connect(const model::LoadBalancer& balancer,
                                                              const model::Cluster& cluster) {
  const std::string what = "load balancer " + balancer.name + ": runtimeApi: ";
  auto address = model::ParseRuntimeApi(balancer.runtime_api);
  if (!address.ok()) return Status::Invalid(what + address.status().message());
  LocalSocket local_socket;
  if (address->kind == model::RuntimeApiAddress::Kind::kSsh) {
    const model::Host* host = model::RuntimeApiHost(cluster, *address);
    if (host == nullptr) {
      return Status::Invalid(what + "no host of the cluster has its ssh endpoint");
    }
    auto forward = ForwardOf(*host, address->path);
    if (!forward.ok()) return Status::Invalid(what + forward.status().message());
    local_socket = [f = *forward] { return f->LocalSocket(); };
  }
  return std::shared_ptr<Router>(std::make_shared<HaproxyRouter>(
      RuntimeApiClient(std::move(*address), std::chrono::seconds(10), std::move(local_socket))));
}

}  // namespace stowage::traffic::haproxy
