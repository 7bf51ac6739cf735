#include "runtime/fake/fake_runtime.h"

#include <algorithm>
#include <set>
#include <thread>
#include <utility>

#include "runtime/fake/fake_state.h"
#include "util/hash.h"

namespace stowage::runtime::fake {
namespace {

using Lock = std::unique_lock<std::mutex>;

std::int64_t SystemNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int Index(Method m) { return static_cast<int>(m); }

bool IsRunning(const FakeContainer& c) { return c.summary.state == ContainerState::kRunning; }

std::vector<PublishedPort> UnboundPorts(const ContainerSpec& spec) {
  std::vector<PublishedPort> ports;
  if (spec.network_mode != "bridge") return ports;
  for (const auto& b : spec.ports) ports.push_back({b.container_port, 0, b.protocol});
  return ports;
}

}  // namespace

const char* MethodName(Method m) {
  static constexpr const char* kNames[kMethodCount] = {
      "Info",        "List",         "Inspect",     "Create",       "Start",
      "Stop",        "Remove",       "EnsureImage", "EnsureVolume", "Events",
      "ListVolumes", "RemoveVolume", "ImportImage", "Rename"};
  return kNames[Index(m)];
}

FakeContainer* FakeEngine::State::FindLocked(const std::string& id_or_name) {
  if (id_or_name.empty()) return nullptr;
  for (auto& c : containers) {
    if (c.summary.id == id_or_name || c.summary.name == id_or_name) return &c;
  }
  FakeContainer* found = nullptr;
  for (auto& c : containers) {
    if (c.summary.id.compare(0, id_or_name.size(), id_or_name) == 0) {
      if (found != nullptr) return nullptr;  // ambiguous prefix
      found = &c;
    }
  }
  return found;
}

void FakeEngine::State::EmitLocked(const FakeContainer& c, const std::string& action,
                                   std::map<std::string, std::string> extra) {
  ContainerEvent e;
  e.container_id = c.summary.id;
  e.action = action;
  e.labels = c.summary.labels;
  e.labels["name"] = c.summary.name;
  e.labels["image"] = c.summary.image;
  for (auto& [k, v] : extra) e.labels[k] = std::move(v);
  e.time_ns = clock();
  events.push_back(std::move(e));
  cv.notify_all();
}

namespace {

// Waits out the method's latency (unlocked), counts the call, then returns with
// `lock` held: the injected failure for this call, if any, or OK.
Status Enter(FakeEngine::State& st, Method m, Lock& lock) {
  std::chrono::milliseconds latency;
  {
    Lock l(st.mu);
    ++st.calls[Index(m)];
    latency = st.latency[Index(m)];
    if (latency.count() > 0) {
      int& now = ++st.sleeping[Index(m)];
      st.max_sleeping[Index(m)] = std::max(st.max_sleeping[Index(m)], now);
    }
  }
  if (latency.count() > 0) std::this_thread::sleep_for(latency);
  lock = Lock(st.mu);
  if (latency.count() > 0) --st.sleeping[Index(m)];
  if (st.unreachable) {
    return Status::Unreachable("fake engine " + st.info.name + ": connection refused");
  }
  auto& fault = st.faults[Index(m)];
  if (fault.remaining > 0) {
    --fault.remaining;
    return fault.status;
  }
  return Status::Ok();
}

Status NoSuchContainer(const std::string& id_or_name) {
  return Status::NotFound("No such container: " + id_or_name);
}

Result<FakeContainer*> CreateLocked(FakeEngine::State& st, const ContainerSpec& spec) {
  if (spec.name.empty()) return Status::Invalid("container name is required");
  for (const auto& c : st.containers) {
    if (c.summary.name == spec.name) {
      return Status::Conflict("Conflict. The container name \"/" + spec.name +
                              "\" is already in use by container \"" + c.summary.id + "\"");
    }
  }
  if (st.images.count(spec.image) == 0) return Status::NotFound("No such image: " + spec.image);
  FakeContainer c;
  c.sequence = st.next_sequence++;
  c.spec = spec;
  c.summary.id = Hasher().Add(st.info.name).Add(c.sequence).HexDigest() +
                 Hasher().Add(c.sequence).Add(spec.name).HexDigest();
  c.summary.name = spec.name;
  c.summary.image = spec.image;
  c.summary.labels = spec.labels;
  c.summary.ports = UnboundPorts(spec);
  c.summary.created = st.clock() / 1'000'000'000;
  st.containers.push_back(std::move(c));
  st.EmitLocked(st.containers.back(), "create");
  return &st.containers.back();
}

void DieLocked(FakeEngine::State& st, FakeContainer& c, int exit_code) {
  c.summary.state = ContainerState::kExited;
  c.summary.exit_code = exit_code;
  c.summary.ports = UnboundPorts(c.spec);
  c.finished_at = FormatRfc3339(st.clock());
  st.EmitLocked(c, "die", {{"exitCode", std::to_string(exit_code)}});
}

void SetHealthLocked(FakeEngine::State& st, FakeContainer& c, Health h) {
  if (c.summary.health == h) return;
  c.summary.health = h;
  st.EmitLocked(c, std::string("health_status: ") + HealthName(h));
}

// Binds the container's ports as the engine would: static ones must be free among
// running containers, dynamic ones take the lowest free port of the ephemeral range.
Result<std::vector<PublishedPort>> BindPortsLocked(const FakeEngine::State& st,
                                                   const FakeContainer& c) {
  std::set<std::pair<std::string, int>> used;
  for (const auto& other : st.containers) {
    if (!IsRunning(other)) continue;
    for (const auto& p : other.summary.ports) used.insert({p.protocol, p.host_port});
  }
  std::vector<PublishedPort> bound;
  if (c.spec.network_mode != "bridge") return bound;
  for (const auto& b : c.spec.ports) {
    if (b.host_port != 0 && used.count({b.protocol, b.host_port}) != 0) {
      return Status::Engine("driver failed programming external connectivity on endpoint " +
                            c.summary.name + ": Bind for 0.0.0.0:" + std::to_string(b.host_port) +
                            " failed: port is already allocated");
    }
    if (b.host_port != 0) used.insert({b.protocol, b.host_port});
  }
  for (const auto& b : c.spec.ports) {
    int port = b.host_port;
    if (port == 0) {
      port = kFirstDynamicPort;
      while (port <= kLastDynamicPort && used.count({b.protocol, port}) != 0) ++port;
      if (port > kLastDynamicPort) return Status::Engine("no free port in the dynamic range");
      used.insert({b.protocol, port});
    }
    bound.push_back({b.container_port, port, b.protocol});
  }
  return bound;
}

Status StartLocked(FakeEngine::State& st, FakeContainer& c) {
  if (IsRunning(c)) return Status::Ok();  // the engine answers 304: already started
  auto ports = BindPortsLocked(st, c);
  if (!ports.ok()) return ports.status();
  c.summary.ports = std::move(*ports);
  c.summary.state = ContainerState::kRunning;
  c.summary.exit_code.reset();
  c.summary.health = c.spec.healthcheck ? Health::kStarting : Health::kNone;
  c.started_at = FormatRfc3339(st.clock());
  c.finished_at.clear();
  st.EmitLocked(c, "start");
  auto outcome = st.start_outcomes.find(c.spec.image);
  if (outcome == st.start_outcomes.end()) return Status::Ok();
  if (outcome->second.health && c.spec.healthcheck) {
    SetHealthLocked(st, c, *outcome->second.health);
  }
  if (outcome->second.exit_code) DieLocked(st, c, *outcome->second.exit_code);
  return Status::Ok();
}

}  // namespace

FakeEngine::FakeEngine(std::string host_name, int ncpu, std::int64_t memory_bytes)
    : state_(std::make_shared<State>()) {
  state_->info.name = std::move(host_name);
  state_->info.engine_version = "20.10.24";
  state_->info.api_version = "1.41";
  state_->info.os = "linux";
  state_->info.arch = "x86_64";
  state_->info.ncpu = ncpu;
  state_->info.memory_bytes = memory_bytes;
  state_->clock = SystemNowNs;
}

FakeEngine::~FakeEngine() {
  Lock lock(state_->mu);
  state_->closed = true;
  state_->cv.notify_all();
}

Result<HostInfo> FakeEngine::Info() {
  Lock lock;
  if (auto s = Enter(*state_, Method::kInfo, lock); !s.ok()) return s;
  return state_->info;
}

Result<std::vector<ContainerSummary>> FakeEngine::List(const Labels& filter) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kList, lock); !s.ok()) return s;
  std::vector<ContainerSummary> out;
  for (const auto& c : state_->containers) {
    if (MatchesLabels(c.summary.labels, filter)) out.push_back(c.summary);
  }
  return out;
}

Result<ContainerDetails> FakeEngine::Inspect(const std::string& id_or_name) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kInspect, lock); !s.ok()) return s;
  const FakeContainer* c = state_->FindLocked(id_or_name);
  if (c == nullptr) return NoSuchContainer(id_or_name);
  ContainerDetails d;
  d.summary = c->summary;
  d.started_at = c->started_at;
  d.finished_at = c->finished_at;
  d.config = {c->spec.cpu_shares, c->spec.memory_bytes, c->spec.memory_reservation_bytes,
              c->restart_policy};
  d.raw_json = InspectJson(*c);
  return d;
}

Result<std::string> FakeEngine::Create(const ContainerSpec& spec) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kCreate, lock); !s.ok()) return s;
  auto c = CreateLocked(*state_, spec);
  if (!c.ok()) return c.status();
  state_->call_log.push_back("create " + spec.name);
  return (*c)->summary.id;
}

Status FakeEngine::Start(const std::string& id) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kStart, lock); !s.ok()) return s;
  FakeContainer* c = state_->FindLocked(id);
  if (c == nullptr) return NoSuchContainer(id);
  if (auto s = StartLocked(*state_, *c); !s.ok()) return s;
  state_->call_log.push_back("start " + c->summary.name);
  return Status::Ok();
}

Status FakeEngine::Stop(const std::string& id, std::chrono::seconds /*timeout*/) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kStop, lock); !s.ok()) return s;
  FakeContainer* c = state_->FindLocked(id);
  if (c == nullptr) return NoSuchContainer(id);
  if (IsRunning(*c)) {
    DieLocked(*state_, *c, state_->stop_exit_code);
    state_->EmitLocked(*c, "stop");
  }
  state_->call_log.push_back("stop " + c->summary.name);
  return Status::Ok();
}

Result<bool> FakeEngine::BeginStop(const std::string& id, std::chrono::seconds timeout,
                                   std::chrono::milliseconds /*wait*/) {
  {
    Lock lock;
    if (auto s = Enter(*state_, Method::kStop, lock); !s.ok()) return s;
    FakeContainer* c = state_->FindLocked(id);
    if (c == nullptr) return NoSuchContainer(id);
    if (state_->ignores_term && IsRunning(*c)) {
      state_->stopping.insert(c->summary.id);
      state_->call_log.push_back("begin stop " + c->summary.name);
      return false;
    }
  }
  if (auto st = Stop(id, timeout); !st.ok()) return st;
  return true;
}

Status FakeEngine::Remove(const std::string& id, bool force) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kRemove, lock); !s.ok()) return s;
  FakeContainer* c = state_->FindLocked(id);
  if (c == nullptr) return NoSuchContainer(id);
  if (IsRunning(*c)) {
    if (!force) {
      return Status::Conflict("You cannot remove a running container " + c->summary.id +
                              ". Stop the container before attempting removal or force remove");
    }
    DieLocked(*state_, *c, 137);
  }
  state_->EmitLocked(*c, "destroy");
  state_->call_log.push_back("remove " + c->summary.name);
  auto& all = state_->containers;
  all.erase(all.begin() + (c - all.data()));
  return Status::Ok();
}

Status FakeEngine::EnsureImage(const std::string& image,
                               const std::optional<PullCredentials>& credentials) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kEnsureImage, lock); !s.ok()) return s;
  if (state_->images.count(image) != 0) return Status::Ok();
  if (state_->unpullable.count(image) != 0) {
    return Status::NotFound("pull access denied for " + image +
                            ", repository does not exist or may require 'docker login'");
  }
  state_->images.insert(image);
  ++state_->pulls;
  // The user only: a password is never logged, not even by the fake.
  state_->call_log.push_back("pull " + image + (credentials ? " as " + credentials->username : ""));
  return Status::Ok();
}

Status FakeEngine::ImportImage(const std::string& image, const std::string& rootfs_tar) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kImportImage, lock); !s.ok()) return s;
  if (state_->images.count(image) != 0) return Status::Ok();
  // A tar is whole 512-byte records, and ends with two zero records.
  if (rootfs_tar.size() < 1024 || rootfs_tar.size() % 512 != 0) {
    return Status::Engine("import " + image + ": not a tar archive");
  }
  state_->images.insert(image);
  state_->call_log.push_back("import " + image);
  return Status::Ok();
}

Status FakeEngine::EnsureVolume(const VolumeSpec& spec) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kEnsureVolume, lock); !s.ok()) return s;
  if (state_->volumes.count(spec.name) != 0) return Status::Ok();
  state_->volumes[spec.name] = spec;
  state_->call_log.push_back("volume " + spec.name);
  return Status::Ok();
}

Result<std::vector<std::string>> FakeEngine::ListVolumes(const Labels& filter) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kListVolumes, lock); !s.ok()) return s;
  std::vector<std::string> out;
  for (const auto& [name, spec] : state_->volumes) {
    if (MatchesLabels(spec.labels, filter)) out.push_back(name);
  }
  return out;
}

Status FakeEngine::RemoveVolume(const std::string& name) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kRemoveVolume, lock); !s.ok()) return s;
  for (const auto& c : state_->containers) {
    for (const auto& m : c.spec.mounts) {
      if (m.type == Mount::Type::kVolume && m.source == name) {
        return Status::Conflict("remove " + name + ": volume is in use - [" + c.summary.id + "]");
      }
    }
  }
  if (state_->volumes.erase(name) != 0) state_->call_log.push_back("remove volume " + name);
  return Status::Ok();
}

Result<std::unique_ptr<EventStream>> FakeEngine::Events(const Labels& filter) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kEvents, lock); !s.ok()) return s;
  lock.unlock();
  return MakeEventStream(state_, filter);
}

void FakeEngine::SetInfo(const HostInfo& info) {
  Lock lock(state_->mu);
  state_->info = info;
}

void FakeEngine::AddImage(const std::string& image) {
  Lock lock(state_->mu);
  state_->images.insert(image);
}

void FakeEngine::MakeUnpullable(const std::string& image) {
  Lock lock(state_->mu);
  state_->unpullable.insert(image);
}

void FakeEngine::SetStartOutcome(const std::string& image, StartOutcome outcome) {
  Lock lock(state_->mu);
  state_->start_outcomes[image] = outcome;
}

void FakeEngine::SetIgnoresTerm(bool ignores) {
  Lock lock(state_->mu);
  state_->ignores_term = ignores;
}

int FakeEngine::FinishStops() {
  Lock lock(state_->mu);
  int n = 0;
  for (const auto& id : state_->stopping) {
    FakeContainer* c = state_->FindLocked(id);
    if (c == nullptr || !IsRunning(*c)) continue;
    DieLocked(*state_, *c, 137);
    ++n;
  }
  state_->stopping.clear();
  return n;
}

void FakeEngine::SetStopExitCode(int code) {
  Lock lock(state_->mu);
  state_->stop_exit_code = code;
}

void FakeEngine::SetClock(std::function<std::int64_t()> now_ns) {
  Lock lock(state_->mu);
  state_->clock = std::move(now_ns);
}

void FakeEngine::FailNext(Method method, int count, Status status) {
  Lock lock(state_->mu);
  state_->faults[Index(method)] = {count, std::move(status)};
}

void FakeEngine::SetUnreachable(bool unreachable) {
  Lock lock(state_->mu);
  state_->unreachable = unreachable;
  state_->cv.notify_all();
}

void FakeEngine::SetLatency(Method method, std::chrono::milliseconds latency) {
  Lock lock(state_->mu);
  state_->latency[Index(method)] = latency;
}

Status FakeEngine::ExitContainer(const std::string& id_or_name, int exit_code) {
  Lock lock(state_->mu);
  FakeContainer* c = state_->FindLocked(id_or_name);
  if (c == nullptr) return NoSuchContainer(id_or_name);
  if (!IsRunning(*c)) return Status::Conflict("container " + c->summary.name + " is not running");
  DieLocked(*state_, *c, exit_code);
  return Status::Ok();
}

Status FakeEngine::SetHealth(const std::string& id_or_name, Health health) {
  Lock lock(state_->mu);
  FakeContainer* c = state_->FindLocked(id_or_name);
  if (c == nullptr) return NoSuchContainer(id_or_name);
  if (!IsRunning(*c)) return Status::Conflict("container " + c->summary.name + " is not running");
  SetHealthLocked(*state_, *c, health);
  return Status::Ok();
}

Result<std::string> FakeEngine::AddContainer(const ContainerSpec& spec, ContainerState state) {
  Lock lock(state_->mu);
  state_->images.insert(spec.image);
  auto c = CreateLocked(*state_, spec);
  if (!c.ok()) return c.status();
  FakeContainer& added = **c;
  if (state == ContainerState::kRunning) {
    if (auto s = StartLocked(*state_, added); !s.ok()) return s;
  } else if (state == ContainerState::kExited) {
    DieLocked(*state_, added, 0);
  } else {
    added.summary.state = state;
  }
  return added.summary.id;
}

Status FakeEngine::SetLabel(const std::string& id_or_name, const std::string& key,
                            const std::string& value) {
  Lock lock(state_->mu);
  FakeContainer* c = state_->FindLocked(id_or_name);
  if (c == nullptr) return NoSuchContainer(id_or_name);
  c->spec.labels[key] = value;
  c->summary.labels[key] = value;
  return Status::Ok();
}

Status FakeEngine::UpdateConfig(const std::string& id_or_name, const UpdatableConfig& config) {
  Lock lock(state_->mu);
  FakeContainer* c = state_->FindLocked(id_or_name);
  if (c == nullptr) return NoSuchContainer(id_or_name);
  c->spec.cpu_shares = config.cpu_shares;
  c->spec.memory_bytes = config.memory_bytes;
  c->spec.memory_reservation_bytes = config.memory_reservation_bytes;
  c->restart_policy = config.restart_policy;
  return Status::Ok();
}

Status FakeEngine::Rename(const std::string& id_or_name, const std::string& new_name) {
  Lock lock;
  if (auto s = Enter(*state_, Method::kRename, lock); !s.ok()) return s;
  if (state_->FindLocked(new_name) != nullptr) {
    return Status::Conflict("container name " + new_name + " is already in use");
  }
  FakeContainer* c = state_->FindLocked(id_or_name);
  if (c == nullptr) return NoSuchContainer(id_or_name);
  state_->call_log.push_back("rename " + c->summary.name + " " + new_name);
  c->summary.name = new_name;
  return Status::Ok();
}

std::optional<FakeContainer> FakeEngine::Find(const std::string& id_or_name) const {
  Lock lock(state_->mu);
  const FakeContainer* c = state_->FindLocked(id_or_name);
  if (c == nullptr) return std::nullopt;
  return *c;
}

std::vector<FakeContainer> FakeEngine::Containers() const {
  Lock lock(state_->mu);
  return state_->containers;
}

std::vector<std::string> FakeEngine::Images() const {
  Lock lock(state_->mu);
  return {state_->images.begin(), state_->images.end()};
}

std::map<std::string, VolumeSpec> FakeEngine::Volumes() const {
  Lock lock(state_->mu);
  return state_->volumes;
}

int FakeEngine::CallCount(Method method) const {
  Lock lock(state_->mu);
  return state_->calls[Index(method)];
}

int FakeEngine::MaxConcurrent(Method method) const {
  Lock lock(state_->mu);
  return state_->max_sleeping[Index(method)];
}

int FakeEngine::PullCount() const {
  Lock lock(state_->mu);
  return state_->pulls;
}

std::vector<std::string> FakeEngine::CallLog() const {
  Lock lock(state_->mu);
  return state_->call_log;
}

// --- FakeRuntimeFactory ----------------------------------------------------------------

std::shared_ptr<FakeEngine> FakeRuntimeFactory::Engine(const std::string& host_name) {
  std::lock_guard lock(mu_);
  auto& engine = engines_[host_name];
  if (!engine) engine = std::make_shared<FakeEngine>(host_name);
  return engine;
}

void FakeRuntimeFactory::SetEngine(const std::string& host_name,
                                   std::shared_ptr<FakeEngine> engine) {
  std::lock_guard lock(mu_);
  engines_[host_name] = std::move(engine);
}

void FakeRuntimeFactory::FailConnect(const std::string& host_name, Status status) {
  std::lock_guard lock(mu_);
  if (status.ok()) {
    connect_failures_.erase(host_name);
  } else {
    connect_failures_[host_name] = std::move(status);
  }
}

int FakeRuntimeFactory::ConnectCount(const std::string& host_name) const {
  std::lock_guard lock(mu_);
  auto it = connect_counts_.find(host_name);
  return it == connect_counts_.end() ? 0 : it->second;
}

Result<std::shared_ptr<Runtime>> FakeRuntimeFactory::Connect(const model::Host& host) {
  std::lock_guard lock(mu_);
  ++connect_counts_[host.name];
  if (auto f = connect_failures_.find(host.name); f != connect_failures_.end()) return f->second;
  auto it = engines_.find(host.name);
  if (it == engines_.end()) {
    return Status::Unreachable("no fake engine for host " + host.name);
  }
  return std::shared_ptr<Runtime>(it->second);
}

}  // namespace stowage::runtime::fake
