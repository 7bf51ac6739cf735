#include "apply/lock.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <limits>
#include <random>
#include <set>

#include "apply/lock_image.h"
#include "model/labels.h"

namespace stowage::apply {
namespace {

struct Reachable {
  std::string host;
  std::shared_ptr<runtime::Runtime> rt;
};

// A lock label anyone may have edited: 0 when absent or not a number.
std::int64_t ParseInt(const runtime::Labels& l, const char* key) {
  auto v = labels::IntLabel(l, key, 0, std::numeric_limits<std::int64_t>::max());
  return v.ok() ? *v : 0;
}

std::string Get(const runtime::Labels& l, const char* key) {
  auto it = l.find(key);
  return it == l.end() ? "" : it->second;
}

LockHolder HolderFrom(const runtime::Labels& l) {
  LockHolder h;
  h.owner = Get(l, labels::kLockOwner);
  h.machine = Get(l, labels::kLockHost);
  h.pid = static_cast<int>(ParseInt(l, labels::kLockPid));
  h.since = ParseInt(l, labels::kLockSince);
  h.expires = ParseInt(l, labels::kLockExpires);
  h.token = Get(l, labels::kLockToken);
  return h;
}

void FillDefaults(LockOptions& o) {
  if (o.machine.empty()) {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) == 0) o.machine = buf;
  }
  if (o.owner.empty()) {
    const char* user = std::getenv("USER");
    o.owner = std::string(user != nullptr ? user : "unknown") + "@" + o.machine;
  }
  if (o.pid == 0) o.pid = static_cast<int>(getpid());
  if (!o.now_unix) {
    o.now_unix = [] {
      return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
    };
  }
}

std::string NewToken(int pid) {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> dist;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%d-%016llx", pid, static_cast<unsigned long long>(dist(rd)));
  return buf;
}

bool Stale(const LockHolder& h, const LockOptions& o) {
  if (h.expires != 0 && o.now_unix() > h.expires) return true;
  if (h.machine == o.machine && h.pid > 0 && h.pid != o.pid) {
    return kill(h.pid, 0) == -1 && errno == ESRCH;
  }
  return false;
}

runtime::ContainerSpec LockSpec(const std::string& cluster, const LockOptions& o,
                                const std::string& token) {
  runtime::ContainerSpec s;
  s.name = labels::LockContainerName(cluster);
  s.image = kLockImage;
  s.cmd = {"true"};
  s.network_mode = "none";
  std::int64_t now = o.now_unix();
  s.labels = {{labels::kLock, cluster},
              {labels::kLockOwner, o.owner},
              {labels::kLockHost, o.machine},
              {labels::kLockPid, std::to_string(o.pid)},
              {labels::kLockSince, std::to_string(now)},
              {labels::kLockExpires, std::to_string(now + o.ttl.count())},
              {labels::kLockToken, token}};
  return s;
}

std::vector<Reachable> Connect(const model::Cluster& cluster, runtime::RuntimeFactory& f) {
  std::vector<Reachable> out;
  for (const auto& h : cluster.hosts) {
    auto rt = f.Connect(h);
    if (rt.ok()) {
      out.push_back({h.name, std::move(*rt)});
    } else {
      spdlog::warn("lock: host {} skipped: {}", h.name, rt.status().message());
    }
  }
  return out;
}

}  // namespace

std::string LockHolder::Describe() const {
  std::time_t t = static_cast<std::time_t>(since);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return owner + " (pid " + std::to_string(pid) + ") since " + when;
}

ClusterLock::~ClusterLock() { (void)Release(); }

Status ClusterLock::Release() {
  Status first;
  for (const auto& h : held_) {
    auto st = h.rt->Remove(h.id, true);
    if (!st.ok() && st.code() != Status::Code::kNotFound && first.ok()) first = st;
  }
  held_.clear();
  return first;
}

Result<std::optional<LockHolder>> ClusterLock::TakeOn(const std::string& cluster,
                                                      const std::string& host,
                                                      const std::shared_ptr<runtime::Runtime>& rt,
                                                      const LockOptions& o) {
  if (auto st = rt->ImportImage(kLockImage, LockImageTar()); !st.ok()) {
    if (st.code() != Status::Code::kUnreachable) {
      return Status(st.code(), "cluster lock: host " + host + ": " + st.message());
    }
    // Connected (lazily) but the engine does not answer: like a failed Connect.
    spdlog::warn("lock: host {} skipped: {}", host, st.message());
    return std::optional<LockHolder>();
  }
  auto spec = LockSpec(cluster, o, token_);
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto id = rt->Create(spec);
    if (id.ok()) {
      held_.push_back({host, rt, *id});
      return std::optional<LockHolder>();
    }
    if (id.status().code() != Status::Code::kConflict) {
      spdlog::warn("lock: host {} skipped: {}", host, id.status().message());
      return std::optional<LockHolder>();
    }
    auto existing = rt->Inspect(spec.name);
    if (!existing.ok()) continue;  // removed meanwhile
    LockHolder holder = HolderFrom(existing->summary.labels);
    if (holder.token == token_) return std::optional<LockHolder>();  // engine shared by hosts
    if (!Stale(holder, o)) return std::optional<LockHolder>(holder);
    spdlog::warn("lock: breaking the stale lock of {} on host {}", holder.Describe(), host);
    (void)rt->Remove(existing->summary.id, true);
  }
  return Status::Conflict("cluster lock: host " + host + ": the lock container keeps coming back");
}

Result<std::unique_ptr<ClusterLock>> ClusterLock::Acquire(const model::Cluster& cluster,
                                                          runtime::RuntimeFactory& runtimes,
                                                          LockOptions o, Clock& clock) {
  FillDefaults(o);
  auto hosts = Connect(cluster, runtimes);
  if (hosts.empty()) return Status::Unreachable("no host of cluster " + cluster.name + " answers");
  std::unique_ptr<ClusterLock> lock(new ClusterLock());
  lock->token_ = NewToken(o.pid);
  auto deadline = clock.Now() + o.timeout;
  bool told = false;
  while (true) {
    std::optional<LockHolder> blocker;
    for (const auto& h : hosts) {
      auto taken = lock->TakeOn(cluster.name, h.host, h.rt, o);
      if (!taken.ok()) return taken.status();
      blocker = std::move(*taken);
      if (blocker) break;
    }
    if (!blocker) {
      if (lock->held_.empty()) {
        return Status::Unreachable("no host of cluster " + cluster.name + " took the lock");
      }
      return lock;
    }
    (void)lock->Release();
    std::string msg = "cluster " + cluster.name + " is locked by " + blocker->Describe();
    if (clock.Now() >= deadline) return Status::Conflict(msg);
    if (!told && o.on_wait) o.on_wait(msg);
    told = true;
    clock.SleepFor(o.poll);
  }
}

Result<std::vector<LockHolder>> ForceUnlock(const model::Cluster& cluster,
                                            runtime::RuntimeFactory& runtimes) {
  auto hosts = Connect(cluster, runtimes);
  if (hosts.empty()) return Status::Unreachable("no host of cluster " + cluster.name + " answers");
  std::vector<LockHolder> removed;
  std::set<std::string> seen;
  for (const auto& h : hosts) {
    auto list = h.rt->List({{labels::kLock, cluster.name}});
    if (!list.ok()) return list.status();
    for (const auto& c : *list) {
      auto st = h.rt->Remove(c.id, true);
      if (!st.ok() && st.code() != Status::Code::kNotFound) return st;
      auto holder = HolderFrom(c.labels);
      if (seen.insert(holder.token).second) removed.push_back(holder);
    }
  }
  return removed;
}

}  // namespace stowage::apply
