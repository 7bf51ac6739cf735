#include "runtime/docker/engine_json.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <set>
#include <tuple>

namespace stowage::runtime::docker {

using nlohmann::json;

namespace {

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t Int(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

Labels StringMap(const json& j, const char* key) {
  Labels out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

std::string PortKey(int port, const std::string& protocol) {
  return std::to_string(port) + "/" + (protocol.empty() ? "tcp" : protocol);
}

const char* MountTypeName(Mount::Type t) {
  switch (t) {
    case Mount::Type::kBind:
      return "bind";
    case Mount::Type::kVolume:
      return "volume";
    case Mount::Type::kTmpfs:
      return "tmpfs";
  }
  return "volume";
}

void AddHostConfig(const ContainerSpec& spec, json& hc) {
  json bindings = json::object();
  for (const auto& p : spec.ports) {
    bindings[PortKey(p.container_port, p.protocol)].push_back(
        {{"HostIp", ""}, {"HostPort", p.host_port > 0 ? std::to_string(p.host_port) : ""}});
  }
  hc["PortBindings"] = bindings;
  if (spec.cpu_shares > 0) hc["CpuShares"] = spec.cpu_shares;
  if (spec.memory_bytes > 0) hc["Memory"] = spec.memory_bytes;
  if (spec.memory_reservation_bytes > 0) hc["MemoryReservation"] = spec.memory_reservation_bytes;
  json mounts = json::array();
  json tmpfs = json::object();
  for (const auto& m : spec.mounts) {
    if (m.type == Mount::Type::kTmpfs) {
      std::string opts;
      for (const auto& o : m.tmpfs_options) opts += (opts.empty() ? "" : ",") + o;
      if (m.tmpfs_size_bytes > 0) {
        opts +=
            (opts.empty() ? "" : ",") + std::string("size=") + std::to_string(m.tmpfs_size_bytes);
      }
      tmpfs[m.target] = opts;
      continue;
    }
    mounts.push_back({{"Type", MountTypeName(m.type)},
                      {"Source", m.source},
                      {"Target", m.target},
                      {"ReadOnly", m.read_only}});
  }
  if (!mounts.empty()) hc["Mounts"] = mounts;
  if (!tmpfs.empty()) hc["Tmpfs"] = tmpfs;
  if (!spec.ulimits.empty()) {
    json ulimits = json::array();
    for (const auto& u : spec.ulimits) {
      ulimits.push_back({{"Name", u.name}, {"Soft", u.soft}, {"Hard", u.hard}});
    }
    hc["Ulimits"] = ulimits;
  }
  if (!spec.log_driver.empty()) {
    json config = json::object();
    for (const auto& [k, v] : spec.log_options) config[k] = v;
    hc["LogConfig"] = {{"Type", spec.log_driver}, {"Config", config}};
  }
  if (!spec.extra_hosts.empty()) hc["ExtraHosts"] = spec.extra_hosts;
  hc["ReadonlyRootfs"] = spec.readonly_rootfs;
  hc["Privileged"] = spec.privileged;
  if (!spec.cap_add.empty()) hc["CapAdd"] = spec.cap_add;
  if (!spec.cap_drop.empty()) hc["CapDrop"] = spec.cap_drop;
  if (spec.init) hc["Init"] = *spec.init;
  if (spec.shm_size_bytes > 0) hc["ShmSize"] = spec.shm_size_bytes;
  hc["NetworkMode"] = spec.network_mode.empty() ? "bridge" : spec.network_mode;
  if (!spec.links.empty()) hc["Links"] = spec.links;
  if (!spec.volumes_from.empty()) hc["VolumesFrom"] = spec.volumes_from;
  hc["RestartPolicy"] = {{"Name", "no"}, {"MaximumRetryCount", 0}};
}

}  // namespace

json CreateBody(const ContainerSpec& spec) {
  json body = json::object();
  body["Image"] = spec.image;
  if (!spec.cmd.empty()) body["Cmd"] = spec.cmd;
  if (!spec.entrypoint.empty()) body["Entrypoint"] = spec.entrypoint;
  body["Env"] = spec.env;
  if (!spec.working_dir.empty()) body["WorkingDir"] = spec.working_dir;
  if (!spec.user.empty()) body["User"] = spec.user;
  if (!spec.hostname.empty()) body["Hostname"] = spec.hostname;
  json labels = json::object();
  for (const auto& [k, v] : spec.labels) labels[k] = v;
  body["Labels"] = labels;
  json exposed = json::object();
  for (const auto& p : spec.ports) exposed[PortKey(p.container_port, p.protocol)] = json::object();
  if (!exposed.empty()) body["ExposedPorts"] = exposed;
  if (spec.healthcheck) {
    const auto& h = *spec.healthcheck;
    body["Healthcheck"] = {{"Test", h.test},
                           {"Interval", h.interval_ns},
                           {"Timeout", h.timeout_ns},
                           {"StartPeriod", h.start_period_ns},
                           {"Retries", h.retries}};
  }
  if (spec.stop_timeout_seconds) body["StopTimeout"] = *spec.stop_timeout_seconds;
  json hc = json::object();
  AddHostConfig(spec, hc);
  body["HostConfig"] = hc;
  return body;
}

std::string LabelFilters(const Labels& filter, const std::string& type) {
  json f = json::object();
  json labels = json::array();
  for (const auto& [k, v] : filter) labels.push_back(v.empty() ? k : k + "=" + v);
  if (!labels.empty()) f["label"] = labels;
  if (!type.empty()) f["type"] = json::array({type});
  return f.dump();
}

ContainerState ParseState(const std::string& state) {
  if (state == "running") return ContainerState::kRunning;
  if (state == "paused") return ContainerState::kPaused;
  if (state == "restarting") return ContainerState::kRestarting;
  if (state == "exited") return ContainerState::kExited;
  if (state == "dead") return ContainerState::kDead;
  if (state == "removing") return ContainerState::kRemoving;
  return ContainerState::kCreated;
}

Health ParseHealthFromStatus(const std::string& status) {
  if (status.find("(healthy)") != std::string::npos) return Health::kHealthy;
  if (status.find("(unhealthy)") != std::string::npos) return Health::kUnhealthy;
  if (status.find("(health: starting)") != std::string::npos) return Health::kStarting;
  return Health::kNone;
}

std::optional<int> ParseExitCodeFromStatus(const std::string& status) {
  const std::string prefix = "Exited (";
  if (status.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  auto close = status.find(')', prefix.size());
  if (close == std::string::npos) return std::nullopt;
  try {
    return std::stoi(status.substr(prefix.size(), close - prefix.size()));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

namespace {

// State, health and exit code of a list entry from its State ("exited") and
// Status ("Exited (1) 2 minutes ago", "Up 3 s (healthy)") texts: the tree and
// the SAX decode share it.
void SetStateFromList(ContainerSummary& s, const std::string& state, const std::string& status) {
  s.state = ParseState(state);
  s.health = ParseHealthFromStatus(status);
  if (s.state == ContainerState::kExited) s.exit_code = ParseExitCodeFromStatus(status);
}

}  // namespace

Result<ContainerSummary> ParseListEntry(const json& entry) {
  if (!entry.is_object()) return Status::Engine("container list entry is not an object");
  ContainerSummary s;
  s.id = Str(entry, "Id");
  auto names = entry.find("Names");
  if (names != entry.end() && names->is_array() && !names->empty() && (*names)[0].is_string()) {
    s.name = (*names)[0].get<std::string>();
    if (!s.name.empty() && s.name[0] == '/') s.name.erase(0, 1);
  }
  s.image = Str(entry, "Image");
  s.image_id = Str(entry, "ImageID");
  SetStateFromList(s, Str(entry, "State"), Str(entry, "Status"));
  s.labels = StringMap(entry, "Labels");
  s.created = Int(entry, "Created");
  std::set<std::tuple<int, int, std::string>> seen;  // IPv4 and IPv6 list the same binding
  auto ports = entry.find("Ports");
  if (ports != entry.end() && ports->is_array()) {
    for (const auto& p : *ports) {
      PublishedPort pp;
      pp.container_port = static_cast<int>(Int(p, "PrivatePort"));
      pp.host_port = static_cast<int>(Int(p, "PublicPort"));
      pp.protocol = Str(p, "Type");
      if (seen.insert({pp.container_port, pp.host_port, pp.protocol}).second) {
        s.ports.push_back(pp);
      }
    }
  }
  return s;
}

namespace {

// GET /containers/json decoded straight from the text through nlohmann's SAX
// interface, without building a DOM first (at a thousand hosts the DOM was most
// of the snapshot's cost). It accepts only the shapes the engine sends: an
// array of objects whose Id, Image, State and Status are strings, Created an
// integer, Names an array of strings, Labels an object of strings, Ports an
// array of objects with integer PrivatePort/PublicPort and a string Type;
// other members are skipped whatever they hold. On anything else it gives up
// and ParseList decodes through the DOM, which gives the same answer for
// everything this accepts (missing members default the same way, a repeated
// member: the last one wins).
class ListSax {
 public:
  std::vector<ContainerSummary> out;
  bool done() const { return where_ == Where::kDone; }

  bool null() { return Scalar(); }
  bool boolean(bool) { return Scalar(); }
  bool number_float(double, const std::string&) { return Scalar(); }
  bool number_integer(std::int64_t v) { return Integer(v); }
  bool number_unsigned(std::uint64_t v) { return Integer(static_cast<std::int64_t>(v)); }
  bool binary(json::binary_t&) { return false; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

  bool string(std::string& v) {
    switch (where_) {
      case Where::kEntry:
        if (key_ == "Id") {
          entry_.id = std::move(v);
        } else if (key_ == "Image") {
          entry_.image = std::move(v);
        } else if (key_ == "ImageID") {
          entry_.image_id = std::move(v);
        } else if (key_ == "State") {
          state_ = std::move(v);
        } else if (key_ == "Status") {
          status_ = std::move(v);
        } else if (Known(key_)) {
          return false;
        }
        return true;
      case Where::kNames:
        if (names_++ == 0) entry_.name = std::move(v);
        return true;
      case Where::kLabels:
        entry_.labels.insert_or_assign(entry_.labels.end(), std::move(label_), std::move(v));
        return true;
      case Where::kPort:
        if (port_key_ == "Type") {
          port_.protocol = std::move(v);
        } else if (port_key_ == "PrivatePort" || port_key_ == "PublicPort") {
          return false;
        }
        return true;
      case Where::kSkip:
        return true;
      default:
        return false;
    }
  }

  bool key(std::string& k) {
    switch (where_) {
      case Where::kEntry:
        key_ = std::move(k);
        return true;
      case Where::kLabels:
        label_ = std::move(k);
        return true;
      case Where::kPort:
        port_key_ = std::move(k);
        return true;
      case Where::kSkip:
        return true;
      default:
        return false;
    }
  }

  bool start_object(std::size_t) {
    switch (where_) {
      case Where::kList:
        entry_ = ContainerSummary{};
        state_.clear();
        status_.clear();
        seen_.clear();
        where_ = Where::kEntry;
        return true;
      case Where::kEntry:
        if (key_ == "Labels") {
          entry_.labels.clear();
          where_ = Where::kLabels;
          return true;
        }
        return Known(key_) ? false : Skip();
      case Where::kPorts:
        port_ = PublishedPort{};
        port_.protocol.clear();
        where_ = Where::kPort;
        return true;
      case Where::kSkip:
        return Nest();
      default:
        return false;
    }
  }

  bool end_object() {
    switch (where_) {
      case Where::kEntry:
        SetStateFromList(entry_, state_, status_);
        out.push_back(std::move(entry_));
        where_ = Where::kList;
        return true;
      case Where::kLabels:
        where_ = Where::kEntry;
        return true;
      case Where::kPort:
        if (seen_.insert({port_.container_port, port_.host_port, port_.protocol}).second) {
          entry_.ports.push_back(port_);
        }
        where_ = Where::kPorts;
        return true;
      case Where::kSkip:
        return EndSkip();
      default:
        return false;
    }
  }

  bool start_array(std::size_t) {
    switch (where_) {
      case Where::kTop:
        where_ = Where::kList;
        return true;
      case Where::kEntry:
        if (key_ == "Names") {
          entry_.name.clear();
          names_ = 0;
          where_ = Where::kNames;
          return true;
        }
        if (key_ == "Ports") {
          entry_.ports.clear();
          seen_.clear();
          where_ = Where::kPorts;
          return true;
        }
        return Known(key_) ? false : Skip();
      case Where::kSkip:
        return Nest();
      default:
        return false;
    }
  }

  bool end_array() {
    switch (where_) {
      case Where::kList:
        where_ = Where::kDone;
        return true;
      case Where::kNames:
        if (!entry_.name.empty() && entry_.name[0] == '/') entry_.name.erase(0, 1);
        where_ = Where::kEntry;
        return true;
      case Where::kPorts:
        where_ = Where::kEntry;
        return true;
      case Where::kSkip:
        return EndSkip();
      default:
        return false;
    }
  }

 private:
  enum class Where { kTop, kList, kEntry, kNames, kLabels, kPorts, kPort, kSkip, kDone };

  static bool Known(const std::string& key) {
    return key == "Id" || key == "Image" || key == "ImageID" || key == "State" || key == "Status" ||
           key == "Created" || key == "Names" || key == "Labels" || key == "Ports";
  }

  // null, booleans and fractions: fine in members we skip, not in ours.
  bool Scalar() {
    switch (where_) {
      case Where::kEntry:
        return !Known(key_);
      case Where::kPort:
        return port_key_ != "PrivatePort" && port_key_ != "PublicPort" && port_key_ != "Type";
      case Where::kSkip:
        return true;
      default:
        return false;
    }
  }

  bool Integer(std::int64_t v) {
    switch (where_) {
      case Where::kEntry:
        if (key_ == "Created") {
          entry_.created = v;
          return true;
        }
        return !Known(key_);
      case Where::kPort:
        if (port_key_ == "PrivatePort") {
          port_.container_port = static_cast<int>(v);
        } else if (port_key_ == "PublicPort") {
          port_.host_port = static_cast<int>(v);
        } else if (port_key_ == "Type") {
          return false;
        }
        return true;
      case Where::kSkip:
        return true;
      default:
        return false;
    }
  }

  // An object or array in a member we do not read: skipped to its end.
  bool Skip() {
    where_ = Where::kSkip;
    skip_depth_ = 1;
    return true;
  }
  bool Nest() {
    ++skip_depth_;
    return true;
  }
  bool EndSkip() {
    if (--skip_depth_ == 0) where_ = Where::kEntry;
    return true;
  }

  Where where_ = Where::kTop;
  int skip_depth_ = 0;
  std::string key_, label_, port_key_, state_, status_;
  int names_ = 0;
  ContainerSummary entry_;
  PublishedPort port_;
  std::set<std::tuple<int, int, std::string>> seen_;
};

}  // namespace

Result<std::vector<ContainerSummary>> ParseList(const std::string& body) {
  ListSax sax;
  try {
    if (json::sax_parse(body, &sax) && sax.done()) return std::move(sax.out);
  } catch (const json::exception&) {
    // fall through to the DOM, which reports what is wrong
  }
  json j = json::parse(body, nullptr, false);
  if (!j.is_array()) return Status::Engine("container list: expected a JSON array");
  std::vector<ContainerSummary> out;
  out.reserve(j.size());
  for (const auto& entry : j) {
    auto s = ParseListEntry(entry);
    if (!s.ok()) return s.status();
    out.push_back(std::move(*s));
  }
  return out;
}

Result<std::vector<std::string>> ParseVolumeNames(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object()) return Status::Engine("volume list: expected a JSON object");
  std::vector<std::string> out;
  const json& vols = j.contains("Volumes") ? j["Volumes"] : json();
  if (!vols.is_array()) return out;  // the engine sends null when there are none
  for (const auto& v : vols) {
    if (v.is_object() && v.contains("Name") && v["Name"].is_string()) {
      out.push_back(v["Name"].get<std::string>());
    }
  }
  return out;
}

namespace {

Health ParseHealthStatus(const std::string& s) {
  if (s == "healthy") return Health::kHealthy;
  if (s == "unhealthy") return Health::kUnhealthy;
  if (s == "starting") return Health::kStarting;
  return Health::kNone;
}

std::vector<PublishedPort> InspectPorts(const json& j) {
  std::vector<PublishedPort> out;
  auto ns = j.find("NetworkSettings");
  if (ns == j.end() || !ns->is_object()) return out;
  auto ports = ns->find("Ports");
  if (ports == ns->end() || !ports->is_object()) return out;
  for (const auto& [key, bindings] : ports->items()) {
    auto slash = key.find('/');
    int cport = std::atoi(key.substr(0, slash).c_str());
    std::string proto = slash == std::string::npos ? "tcp" : key.substr(slash + 1);
    if (!bindings.is_array()) continue;
    std::set<int> seen;
    for (const auto& b : bindings) {
      int hport = std::atoi(Str(b, "HostPort").c_str());
      if (seen.insert(hport).second) out.push_back({cport, hport, proto});
    }
  }
  return out;
}

}  // namespace

Result<ContainerDetails> ParseInspect(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object()) return Status::Engine("container inspect: expected a JSON object");
  ContainerDetails d;
  auto& s = d.summary;
  s.id = Str(j, "Id");
  s.name = Str(j, "Name");
  if (!s.name.empty() && s.name[0] == '/') s.name.erase(0, 1);
  s.created = ParseRfc3339Seconds(Str(j, "Created"));
  s.image_id = Str(j, "Image");  // inspect: the image ID; Config.Image is the name
  auto config = j.find("Config");
  if (config != j.end() && config->is_object()) {
    s.image = Str(*config, "Image");
    s.labels = StringMap(*config, "Labels");
  }
  auto state = j.find("State");
  if (state != j.end() && state->is_object()) {
    s.state = ParseState(Str(*state, "Status"));
    if (s.state == ContainerState::kExited || s.state == ContainerState::kDead) {
      s.exit_code = static_cast<int>(Int(*state, "ExitCode"));
    }
    auto health = state->find("Health");
    if (health != state->end() && health->is_object()) {
      s.health = ParseHealthStatus(Str(*health, "Status"));
    }
    d.started_at = Str(*state, "StartedAt");
    d.finished_at = Str(*state, "FinishedAt");
    d.error = Str(*state, "Error");
    if (d.started_at.rfind("0001-", 0) == 0) d.started_at.clear();
    if (d.finished_at.rfind("0001-", 0) == 0) d.finished_at.clear();
  }
  d.restart_count = static_cast<int>(Int(j, "RestartCount"));
  auto hc = j.find("HostConfig");
  if (hc != j.end() && hc->is_object()) {
    d.config.cpu_shares = Int(*hc, "CpuShares");
    d.config.memory_bytes = Int(*hc, "Memory");
    d.config.memory_reservation_bytes = Int(*hc, "MemoryReservation");
    auto restart = hc->find("RestartPolicy");
    if (restart != hc->end() && restart->is_object()) {
      std::string name = Str(*restart, "Name");
      d.config.restart_policy = name.empty() ? "no" : name;
    }
  }
  s.ports = InspectPorts(j);
  d.raw_json = body;
  return d;
}

Result<HostInfo> ParseInfo(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object()) return Status::Engine("info: expected a JSON object");
  HostInfo info;
  info.name = Str(j, "Name");
  info.engine_version = Str(j, "ServerVersion");
  info.os = Str(j, "OSType");
  info.arch = Str(j, "Architecture");
  info.ncpu = static_cast<int>(Int(j, "NCPU"));
  info.memory_bytes = Int(j, "MemTotal");
  return info;
}

Result<std::optional<ContainerEvent>> ParseEvent(const std::string& line) {
  json j = json::parse(line, nullptr, false);
  if (!j.is_object()) return Status::Engine("event: expected a JSON object, got: " + line);
  if (Str(j, "Type") != "container") return std::optional<ContainerEvent>();
  ContainerEvent e;
  e.action = Str(j, "Action");
  auto actor = j.find("Actor");
  if (actor != j.end() && actor->is_object()) {
    e.container_id = Str(*actor, "ID");
    e.labels = StringMap(*actor, "Attributes");
  }
  if (e.container_id.empty()) e.container_id = Str(j, "id");
  e.time_ns = Int(j, "timeNano");
  return std::optional<ContainerEvent>(std::move(e));
}

std::string EngineMessage(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_object()) {
    std::string m = Str(j, "message");
    if (!m.empty()) return m;
  }
  std::string trimmed = body;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.pop_back();
  return trimmed;
}

ImageRef ParseImageRef(const std::string& image) {
  ImageRef r;
  std::string rest = image;
  auto at = rest.find('@');
  if (at != std::string::npos) {
    r.digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
  }
  auto slash = rest.rfind('/');
  auto colon = rest.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    r.tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  } else if (r.digest.empty()) {
    r.tag = "latest";
  }
  r.repository = rest;
  r.registry = "docker.io";
  auto first_slash = rest.find('/');
  if (first_slash != std::string::npos) {
    std::string first = rest.substr(0, first_slash);
    if (first.find('.') != std::string::npos || first.find(':') != std::string::npos ||
        first == "localhost") {
      r.registry = first;
    }
  }
  return r;
}

namespace {
constexpr const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string Base64Encode(std::string_view in, bool url_safe) {
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    size_t n = std::min<size_t>(3, in.size() - i);
    unsigned v = 0;
    for (size_t k = 0; k < 3; ++k) {
      v = (v << 8) | (k < n ? static_cast<unsigned char>(in[i + k]) : 0u);
    }
    for (size_t k = 0; k < 4; ++k) out += k <= n ? kB64[(v >> (18 - 6 * k)) & 63] : '=';
  }
  if (url_safe) {
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view in) {
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (char c : in) {
    int d;
    if (c >= 'A' && c <= 'Z')
      d = c - 'A';
    else if (c >= 'a' && c <= 'z')
      d = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      d = c - '0' + 52;
    else if (c == '+' || c == '-')
      d = 62;
    else if (c == '/' || c == '_')
      d = 63;
    else if (c == '=' || c == '\n' || c == '\r')
      continue;
    else
      return std::nullopt;
    v = (v << 6) | static_cast<unsigned>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xFF);
    }
  }
  return out;
}

std::optional<std::string> RegistryAuthHeader(const std::string& config_json,
                                              const std::string& registry) {
  json j = json::parse(config_json, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto auths = j.find("auths");
  if (auths == j.end() || !auths->is_object()) return std::nullopt;
  std::vector<std::string> keys;
  if (registry == "docker.io") {
    keys = {"https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"};
  } else {
    keys = {registry, "https://" + registry, "http://" + registry};
  }
  for (const auto& key : keys) {
    auto it = auths->find(key);
    if (it == auths->end() || !it->is_object()) continue;
    auto decoded = Base64Decode(Str(*it, "auth"));
    if (!decoded) continue;
    auto colon = decoded->find(':');
    if (colon == std::string::npos) continue;
    json auth = {{"username", decoded->substr(0, colon)},
                 {"password", decoded->substr(colon + 1)},
                 {"serveraddress", key}};
    return Base64Encode(auth.dump(), true);
  }
  return std::nullopt;
}

std::int64_t ParseRfc3339Seconds(const std::string& s) {
  std::tm tm{};
  if (s.size() < 19) return 0;
  if (sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
             &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace stowage::runtime::docker
