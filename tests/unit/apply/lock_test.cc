#include "apply/lock.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "apply/lock_image.h"
#include "model/labels.h"
#include "runtime/fake/fake_runtime.h"

namespace stowage::apply {
namespace {

using runtime::fake::FakeRuntimeFactory;

struct LockFixture {
  LockFixture() {
    cluster.name = "prod";
    for (const char* h : {"a", "b", "c"}) {
      model::Host host;
      host.name = h;
      cluster.hosts.push_back(host);
      factory.Engine(h);
    }
  }
  LockOptions Options(const std::string& owner, int pid) {
    LockOptions o;
    o.owner = owner;
    o.machine = "ci-1";
    o.pid = pid;
    o.now_unix = [this] { return now; };
    return o;
  }
  model::Cluster cluster;
  FakeRuntimeFactory factory;
  ManualClock clock;
  std::int64_t now = 1795000000;  // 2026-11-18 11:06:40 UTC
};

}  // namespace

TEST_CASE("the lock is a created, never started, unmanaged container on every host",
          "[apply][lock]") {
  LockFixture f;
  auto lock = ClusterLock::Acquire(f.cluster, f.factory, f.Options("alice@ci-1", 1), f.clock);
  REQUIRE(lock.ok());
  for (const char* h : {"a", "b", "c"}) {
    auto c = f.factory.Engine(h)->Find("stowage-lock.prod");
    REQUIRE(c);
    CHECK(c->summary.state == runtime::ContainerState::kCreated);
    CHECK(c->spec.labels.count(labels::kCluster) == 0);
    CHECK(c->spec.labels.at(labels::kLock) == "prod");
    CHECK(c->spec.labels.at(labels::kLockOwner) == "alice@ci-1");
  }
  REQUIRE((*lock)->Release().ok());
  CHECK_FALSE(f.factory.Engine("a")->Find("stowage-lock.prod"));
}

TEST_CASE("a second apply fails with who holds the lock, or waits for it", "[apply][lock]") {
  LockFixture f;
  auto first = ClusterLock::Acquire(f.cluster, f.factory, f.Options("alice@ci-1", 1), f.clock);
  REQUIRE(first.ok());
  auto second = ClusterLock::Acquire(f.cluster, f.factory, f.Options("bob@ci-1", 1), f.clock);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == Status::Code::kConflict);
  CHECK(second.status().message() ==
        "cluster prod is locked by alice@ci-1 (pid 1) since 2026-11-18 11:06:40 UTC");

  auto waiting = f.Options("bob@ci-1", 1);
  waiting.timeout = std::chrono::milliseconds(5000);
  std::string told;
  waiting.on_wait = [&](const std::string& m) {
    told = m;
    (void)(*first)->Release();
  };
  auto third = ClusterLock::Acquire(f.cluster, f.factory, waiting, f.clock);
  REQUIRE(third.ok());
  CHECK(told == "cluster prod is locked by alice@ci-1 (pid 1) since 2026-11-18 11:06:40 UTC");
  CHECK(f.factory.Engine("c")->Find("stowage-lock.prod")->spec.labels.at(labels::kLockOwner) ==
        "bob@ci-1");
}

TEST_CASE("hosts sharing one engine share one lock container", "[apply][lock]") {
  LockFixture f;
  f.factory.SetEngine("b", f.factory.Engine("a"));
  auto lock = ClusterLock::Acquire(f.cluster, f.factory, f.Options("alice@ci-1", 1), f.clock);
  REQUIRE(lock.ok());
  CHECK(f.factory.Engine("a")->Containers().size() == 1);
}

TEST_CASE("an expired lock is broken", "[apply][lock]") {
  LockFixture f;
  auto old = f.Options("alice@ci-1", 1);
  old.ttl = std::chrono::seconds(60);
  auto first = ClusterLock::Acquire(f.cluster, f.factory, old, f.clock);
  REQUIRE(first.ok());
  f.now += 61;
  auto o = f.Options("bob@ci-1", 1);
  o.timeout = std::chrono::milliseconds(2000);
  auto second = ClusterLock::Acquire(f.cluster, f.factory, o, f.clock);
  REQUIRE(second.ok());
  CHECK(f.factory.Engine("a")->Find("stowage-lock.prod")->spec.labels.at(labels::kLockOwner) ==
        "bob@ci-1");
}

TEST_CASE("a lock held by a dead process on this machine is broken", "[apply][lock]") {
  LockFixture f;
  // pid 2^22+1 is above Linux's pid_max limit: no such process.
  auto first =
      ClusterLock::Acquire(f.cluster, f.factory, f.Options("alice@ci-1", 4194305), f.clock);
  REQUIRE(first.ok());
  auto o = f.Options("bob@ci-1", 1);
  o.timeout = std::chrono::milliseconds(2000);
  REQUIRE(ClusterLock::Acquire(f.cluster, f.factory, o, f.clock).ok());
}

TEST_CASE("unlock --force removes the lock everywhere", "[apply][lock]") {
  LockFixture f;
  auto first = ClusterLock::Acquire(f.cluster, f.factory, f.Options("alice@ci-1", 1), f.clock);
  REQUIRE(first.ok());
  auto removed = ForceUnlock(f.cluster, f.factory);
  REQUIRE(removed.ok());
  REQUIRE(removed->size() == 1);
  CHECK((*removed)[0].owner == "alice@ci-1");
  for (const char* h : {"a", "b", "c"}) CHECK(f.factory.Engine(h)->Containers().empty());
}

TEST_CASE("no reachable host means no lock", "[apply][lock]") {
  LockFixture f;
  for (const char* h : {"a", "b", "c"}) f.factory.FailConnect(h, Status::Unreachable("down"));
  auto lock = ClusterLock::Acquire(f.cluster, f.factory, f.Options("alice@ci-1", 1), f.clock);
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.status().message() == "no host of cluster prod answers");
}

TEST_CASE("an engine that connects but does not answer is skipped by the lock",
          "[apply][lock][unreachable]") {
  LockFixture f;
  f.factory.Engine("b")->SetUnreachable(true);
  auto lock = ClusterLock::Acquire(f.cluster, f.factory, f.Options("alice@ci-1", 1), f.clock);
  REQUIRE(lock.ok());
  CHECK(f.factory.Engine("a")->Find("stowage-lock.prod"));
  CHECK(f.factory.Engine("c")->Find("stowage-lock.prod"));
  REQUIRE((*lock)->Release().ok());
}

TEST_CASE("the lock imports its own image on each engine, once, and no pull", "[apply][lock]") {
  LockFixture f;
  // The source's images cannot be pulled: the lock does not care.
  f.factory.Engine("a")->MakeUnpullable("stowage/busybox:1");
  for (int round = 0; round < 2; ++round) {
    auto lock = ClusterLock::Acquire(f.cluster, f.factory, f.Options("alice@ci-1", 1), f.clock);
    REQUIRE(lock.ok());
    REQUIRE((*lock)->Release().ok());
  }
  for (const char* h : {"a", "b", "c"}) {
    auto& e = *f.factory.Engine(h);
    auto log = e.CallLog();
    REQUIRE_FALSE(log.empty());
    CHECK(log.front() == "import stowage/lock:1");
    CHECK(std::count(log.begin(), log.end(), "import stowage/lock:1") == 1);
    CHECK(e.PullCount() == 0);
    CHECK(e.Images() == std::vector<std::string>{kLockImage});
  }
}

TEST_CASE("the lock image is an empty tar archive", "[apply][lock]") {
  std::string tar = LockImageTar();
  CHECK(tar.size() == 1024);
  CHECK(tar.find_first_not_of('\0') == std::string::npos);
}

TEST_CASE("a lock image the engine refuses fails the apply, saying it is the lock",
          "[apply][lock]") {
  LockFixture f;
  f.factory.Engine("b")->FailNext(runtime::fake::Method::kImportImage, 1,
                                  Status::Engine("import stowage/lock:1: no space left on device"));
  auto lock = ClusterLock::Acquire(f.cluster, f.factory, f.Options("alice@ci-1", 1), f.clock);
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.status().message() ==
        "cluster lock: host b: import stowage/lock:1: no space left on device");
  // What was taken before the failure is released.
  CHECK_FALSE(f.factory.Engine("a")->Find("stowage-lock.prod"));
}

}  // namespace stowage::apply
