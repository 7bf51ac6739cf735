// FakeEngine and FakeRuntimeFactory: in-memory container engines for the core's unit tests.
//
// A FakeEngine implements runtime::Runtime the way a Docker engine behaves, as far as
// stowage can tell: containers keep the ContainerSpec they were created with, List
// filters on labels and reports published ports (actual host ports while running,
// dynamic ports taken from 32768 up), Create needs the image to have been pulled
// (EnsureImage), names conflict, removing a running container needs force, a static
// host port already bound by a running container makes Start fail, and every change
// is delivered to Events() subscribers ("create", "start", "die", "stop",
// "health_status: healthy", "destroy"). It also lets a test inject faults per method
// (fail the next N calls with a Status, add latency), make the whole engine
// unreachable, and make containers exit or change health. Thread-safe: one mutex per
// engine; event streams may wait on it from other threads.
//
// FakeRuntimeFactory maps registered host names to engines (several hosts may share
// one engine, as with a real laptop demo). It is not a substitute for the real-engine
// tests in tests/integration.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/runtime.h"

namespace stowage::runtime::fake {

enum class Method {
  kInfo,
  kList,
  kInspect,
  kCreate,
  kStart,
  kStop,
  kRemove,
  kEnsureImage,
  kEnsureVolume,
  kEvents,
  kListVolumes,
  kRemoveVolume,
  kImportImage,
  kRename,
};
inline constexpr int kMethodCount = 14;
const char* MethodName(Method m);

// Docker's default ephemeral range, from which the engine picks dynamic host ports.
inline constexpr int kFirstDynamicPort = 32768;
inline constexpr int kLastDynamicPort = 60999;

// What happens right after a container of a given image starts.
struct StartOutcome {
  std::optional<int> exit_code;  // the container exits at once with this code
  std::optional<Health> health;  // health the container reports at once (needs a healthcheck)
};

// A container as the fake engine holds it: its spec plus its current state.
struct FakeContainer {
  ContainerSpec spec;
  ContainerSummary summary;
  std::string started_at;
  std::string finished_at;
  std::int64_t sequence = 0;          // creation order
  std::string restart_policy = "no";  // only UpdateConfig changes it
};

class FakeEngine : public Runtime {
 public:
  // `host_name` is what Info() reports as the engine's own name.
  explicit FakeEngine(std::string host_name = "fake-engine", int ncpu = 4,
                      std::int64_t memory_bytes = std::int64_t{8} << 30);
  ~FakeEngine() override;

  // --- runtime::Runtime -----------------------------------------------------------
  Result<HostInfo> Info() override;
  Result<std::vector<ContainerSummary>> List(const Labels& filter) override;
  Result<ContainerDetails> Inspect(const std::string& id_or_name) override;
  Result<std::string> Create(const ContainerSpec& spec) override;
  Status Start(const std::string& id) override;
  Status Stop(const std::string& id, std::chrono::seconds timeout) override;
  // Counted as a kStop call. Like Stop, unless SetIgnoresTerm: the container
  // then keeps running (as a process that ignores SIGTERM does) until
  // FinishStops, the engine's SIGKILL after the stop timeout.
  Result<bool> BeginStop(const std::string& id, std::chrono::seconds timeout,
                         std::chrono::milliseconds wait) override;
  // `docker rename`. kConflict when the name is taken.
  Status Rename(const std::string& id_or_name, const std::string& new_name) override;
  Status Remove(const std::string& id, bool force) override;
  Status EnsureImage(const std::string& image,
                     const std::optional<PullCredentials>& credentials = std::nullopt) override;
  Status ImportImage(const std::string& image, const std::string& rootfs_tar) override;
  Status EnsureVolume(const VolumeSpec& spec) override;
  Result<std::vector<std::string>> ListVolumes(const Labels& filter) override;
  Status RemoveVolume(const std::string& name) override;
  Result<std::unique_ptr<EventStream>> Events(const Labels& filter) override;

  // --- configuration ----------------------------------------------------------------
  void SetInfo(const HostInfo& info);
  // Images present without a pull (EnsureImage then does not count a pull).
  void AddImage(const std::string& image);
  // EnsureImage of this image fails with kNotFound ("pull access denied").
  void MakeUnpullable(const std::string& image);
  // Applied by Start to every container of `image` from now on.
  void SetStartOutcome(const std::string& image, StartOutcome outcome);
  // Exit code a running container reports after Stop (default 0).
  void SetStopExitCode(int code);
  // Containers ignore SIGTERM: BeginStop leaves them running.
  void SetIgnoresTerm(bool ignores);
  // The stop timeouts of every BeginStop so far run out: those containers
  // are killed (exit 137). Returns how many.
  int FinishStops();
  // Unix time in nanoseconds used for created/started/finished and event times;
  // default: the system clock.
  void SetClock(std::function<std::int64_t()> now_ns);

  // --- fault injection --------------------------------------------------------------
  // The next `count` calls of `method` fail with `status` and change nothing.
  void FailNext(Method method, int count, Status status);
  // Every call (and every open event stream) fails with kUnreachable while set.
  void SetUnreachable(bool unreachable);
  // Every call of `method` sleeps this long first (outside the lock).
  void SetLatency(Method method, std::chrono::milliseconds latency);

  // --- acting on containers as the outside world would ---------------------------
  // A running container dies with `exit_code` ("die" event). kNotFound / kConflict
  // (not running) otherwise.
  Status ExitContainer(const std::string& id_or_name, int exit_code);
  // The container's health check reports `health` ("health_status: ..." event).
  Status SetHealth(const std::string& id_or_name, Health health);
  // Puts a container in place without the create/start calls (not counted, but
  // events are emitted): e.g. an unlabelled container a user started by hand, or
  // tasks that already run before a test begins. Returns its id. The spec's image
  // becomes present. Dynamic ports are assigned when `state` is running.
  Result<std::string> AddContainer(const ContainerSpec& spec,
                                   ContainerState state = ContainerState::kRunning);
  // Changes a container's labels behind stowage's back (drift).
  Status SetLabel(const std::string& id_or_name, const std::string& key, const std::string& value);
  // `docker update`: sets what Inspect reports as UpdatableConfig (cpu shares,
  // memory limits, restart policy).
  Status UpdateConfig(const std::string& id_or_name, const UpdatableConfig& config);

  // --- inspection for tests ----------------------------------------------------------
  std::optional<FakeContainer> Find(const std::string& id_or_name) const;
  std::vector<FakeContainer> Containers() const;  // in creation order
  std::vector<std::string> Images() const;        // sorted
  std::map<std::string, VolumeSpec> Volumes() const;
  int CallCount(Method method) const;  // calls made, including failed ones
  // The most calls of `method` in flight at once, as seen while they wait out the
  // latency set with SetLatency (0 without a latency): how many the caller overlaps.
  int MaxConcurrent(Method method) const;
  int PullCount() const;  // images actually "pulled"
  // "create web.app.t1", "start web.app.t1", "stop web.app.t1", "remove web.app.t1",
  // "pull busybox:1", "import stowage/lock:1", "volume data", "remove volume data" ... in
  // call order; only calls that succeeded (an image already present is not imported).
  std::vector<std::string> CallLog() const;

  struct State;  // shared with event streams

 private:
  std::shared_ptr<State> state_;
};

// Maps registered host names to fake engines.
class FakeRuntimeFactory : public RuntimeFactory {
 public:
  // Creates an engine for `host_name` (Info reports `host_name`) unless one is set.
  std::shared_ptr<FakeEngine> Engine(const std::string& host_name);
  // Makes `host_name` use `engine` (several hosts may share one engine).
  void SetEngine(const std::string& host_name, std::shared_ptr<FakeEngine> engine);
  // Connect for `host_name` fails with `status` until cleared with an OK status.
  void FailConnect(const std::string& host_name, Status status);
  int ConnectCount(const std::string& host_name) const;

  // Hosts without an engine fail with kUnreachable.
  Result<std::shared_ptr<Runtime>> Connect(const model::Host& host) override;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<FakeEngine>> engines_;
  std::map<std::string, Status> connect_failures_;
  std::map<std::string, int> connect_counts_;
};

}  // namespace stowage::runtime::fake
