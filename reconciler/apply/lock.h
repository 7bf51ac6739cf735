// The cluster lock: one apply at a time per cluster, held on the engines.
//
// There is no lock server: creating a container with a fixed name is atomic
// on one engine (the second create gets a name conflict). The lock is a
// created-never-started container named stowage-lock.<cluster>, labelled
// with io.stowage.lock=<cluster> (never io.stowage.cluster, so the planner
// does not see it) and the holder's owner, pid, machine, time, expiry and a
// token. It is taken on every reachable host, in cluster-file order; a
// conflict anywhere releases what was taken and waits (or fails). Taking them
// in one fixed order means two contenders that can reach at least one common
// engine never both hold the lock; hosts that share an engine share one lock
// container (recognised by the token). A lock whose expiry has passed, or
// whose holder is a dead process on this machine, is broken and taken over.
// The lock container's image is stowage's own (apply/lock_image.h), imported
// on each engine when missing: a lock never depends on the source's images
// nor on a registry, and every failure of the lock says it is the lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apply/clock.h"
#include "model/cluster.h"
#include "runtime/runtime.h"

namespace stowage::apply {

struct LockOptions {
  std::string owner;                                // user@machine; default from the environment
  std::string machine;                              // this machine's name; default gethostname()
  int pid = 0;                                      // default getpid()
  std::chrono::seconds ttl{3600};                   // a holder older than this is presumed dead
  std::chrono::milliseconds timeout{0};             // how long to wait for a held lock
  std::chrono::milliseconds poll{1000};             // how often to retry while waiting
  std::function<std::int64_t()> now_unix;           // default: the system clock
  std::function<void(const std::string&)> on_wait;  // told once when waiting starts
};

// Who holds the lock, as read from a lock container.
struct LockHolder {
  std::string owner;
  std::string machine;
  int pid = 0;
  std::int64_t since = 0;
  std::int64_t expires = 0;
  std::string token;
  // "alice@ci-1 (pid 4242) since 2026-11-21 20:03:20 UTC"
  std::string Describe() const;
};

class ClusterLock {
 public:
  ~ClusterLock();  // releases
  ClusterLock(const ClusterLock&) = delete;
  ClusterLock& operator=(const ClusterLock&) = delete;

  // Fails with kConflict "cluster prod is locked by ... since ..." when the
  // lock stays held past options.timeout, kUnreachable when no host answers;
  // any other failure reads "cluster lock: host H: ...".
  static Result<std::unique_ptr<ClusterLock>> Acquire(const model::Cluster& cluster,
                                                      runtime::RuntimeFactory& runtimes,
                                                      LockOptions options,
                                                      Clock& clock = SystemClock());
  Status Release();
  const std::string& token() const { return token_; }

 private:
  struct Held {
    std::string host;
    std::shared_ptr<runtime::Runtime> rt;
    std::string id;
  };
  ClusterLock() = default;
  // Takes the lock on one host; returns the other holder when it is held.
  Result<std::optional<LockHolder>> TakeOn(const std::string& cluster, const std::string& host,
                                           const std::shared_ptr<runtime::Runtime>& rt,
                                           const LockOptions& o);
  std::vector<Held> held_;
  std::string token_;
};

// `stowage unlock --force`: removes the cluster's lock containers on every
// reachable host. Returns the holders that were removed.
Result<std::vector<LockHolder>> ForceUnlock(const model::Cluster& cluster,
                                            runtime::RuntimeFactory& runtimes);

}  // namespace stowage::apply
