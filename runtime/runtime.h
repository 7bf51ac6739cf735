// Runtime: the seam between stowage's core and one container engine.
//
// One Runtime object talks to one registered host's engine. The core (planner,
// applier, watcher) sees only this interface; DockerRuntime (runtime/docker/,
// Engine API over libcurl) and FakeRuntime (runtime/fake/, in memory, for unit
// tests) implement it. Every call returns a Status/Result; no exception
// crosses this boundary. Calls on one Runtime may be made from several
// threads at once; implementations bound how many are in flight per host.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/cluster.h"
#include "model/container_config.h"

namespace stowage::runtime {

using Labels = std::map<std::string, std::string>;

struct HostInfo {
  std::string name;            // the engine's own host name
  std::string engine_version;  // "20.10.24"
  std::string api_version;     // negotiated, "1.41"
  std::string os;              // "linux"
  std::string arch;            // "x86_64"
  int ncpu = 0;
  std::int64_t memory_bytes = 0;
  int CpuUnits() const { return ncpu * 1024; }
  int MemoryMiB() const { return static_cast<int>(memory_bytes / (1024 * 1024)); }
};

enum class ContainerState { kCreated, kRunning, kPaused, kRestarting, kExited, kDead, kRemoving };
enum class Health { kNone, kStarting, kHealthy, kUnhealthy };

const char* ContainerStateName(ContainerState s);
const char* HealthName(Health h);

struct PublishedPort {
  int container_port = 0;
  int host_port = 0;  // as bound on the host (actual, for dynamic ports once running)
  std::string protocol = "tcp";
};

// What one list call returns per container: enough for observed state without inspect.
struct ContainerSummary {
  std::string id;
  std::string name;  // without the leading '/'
  std::string image;
  // The image the container runs, as the engine names it: its content digest
  // ("sha256:..."), so a tag moved since the container was created shows.
  std::string image_id;
  ContainerState state = ContainerState::kCreated;
  Health health = Health::kNone;
  std::optional<int> exit_code;  // when exited
  Labels labels;
  std::vector<PublishedPort> ports;
  std::int64_t created = 0;  // unix seconds
};

// What an operator can change on an existing container without recreating it
// (`docker update`), as the engine reports it (HostConfig). The planner compares
// it with the task definition: a difference is drift (model/container_config.h).
using UpdatableConfig = model::UpdatableConfig;

struct ContainerDetails {
  ContainerSummary summary;
  UpdatableConfig config;
  std::string started_at;  // RFC 3339 as the engine reports it, empty if never
  std::string finished_at;
  int restart_count = 0;
  std::string error;     // engine's State.Error
  std::string raw_json;  // the full inspect document, for tests and drift checks
};

struct Mount {
  enum class Type { kBind, kVolume, kTmpfs };
  Type type = Type::kVolume;
  std::string source;  // host path (bind) or volume name (volume); empty for tmpfs
  std::string target;
  bool read_only = false;
  std::int64_t tmpfs_size_bytes = 0;
  std::vector<std::string> tmpfs_options;
};

struct PortBinding {
  int container_port = 0;
  int host_port = 0;  // 0: dynamic
  std::string protocol = "tcp";
};

struct HealthConfig {
  std::vector<std::string> test;  // Docker form: {"CMD-SHELL", "cmd"} or {"CMD", ...}
  std::int64_t interval_ns = 0;
  std::int64_t timeout_ns = 0;
  std::int64_t start_period_ns = 0;
  int retries = 0;
};

struct UlimitSpec {
  std::string name;
  long long soft = 0;
  long long hard = 0;
};

// A container to create, already in engine terms (built by the core from a
// task definition; see apply/container_spec.h). Restart policy is always "no":
// stowage, not the engine, replaces failed tasks.
// Credentials for one pull (ECS repositoryCredentials, resolved by the core):
// used instead of Docker's config. Never printed.
struct PullCredentials {
  std::string username;
  std::string password;
};

struct ContainerSpec {
  std::string name;
  std::string image;
  std::vector<std::string> cmd;
  std::vector<std::string> entrypoint;
  std::vector<std::string> env;  // "NAME=value", secrets already resolved
  std::string working_dir;
  std::string user;
  Labels labels;
  std::vector<PortBinding> ports;
  std::int64_t cpu_shares = 0;                // 0: unset
  std::int64_t memory_bytes = 0;              // 0: unset
  std::int64_t memory_reservation_bytes = 0;  // 0: unset
  std::vector<Mount> mounts;
  std::vector<UlimitSpec> ulimits;
  std::string log_driver;  // empty: engine default
  std::map<std::string, std::string> log_options;
  std::optional<HealthConfig> healthcheck;
  std::optional<int> stop_timeout_seconds;
  std::vector<std::string> extra_hosts;  // "host:ip"
  std::string hostname;
  bool readonly_rootfs = false;
  bool privileged = false;
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  std::optional<bool> init;
  std::int64_t shm_size_bytes = 0;        // 0: unset
  std::string network_mode = "bridge";    // bridge | host | none
  std::vector<std::string> links;         // "container-name:alias"
  std::vector<std::string> volumes_from;  // "container-name[:ro]"
  // Not part of the container: the pull of `image` (never in the spec hash).
  std::optional<PullCredentials> pull_credentials;
};

struct VolumeSpec {
  std::string name;
  std::string driver = "local";
  std::map<std::string, std::string> driver_opts;
  Labels labels;
};

struct ContainerEvent {
  std::string container_id;
  std::string action;  // "die", "start", "health_status: unhealthy", "destroy", ...
  Labels labels;       // the container's labels (Actor.Attributes)
  std::int64_t time_ns = 0;
};

// A subscription to an engine's container events. Next() waits at most
// `timeout` and returns nullopt when nothing arrived in that time.
class EventStream {
 public:
  virtual ~EventStream() = default;
  virtual Result<std::optional<ContainerEvent>> Next(std::chrono::milliseconds timeout) = 0;
};

class Runtime {
 public:
  virtual ~Runtime() = default;

  virtual Result<HostInfo> Info() = 0;
  // One filtered call: containers (running or not) carrying every label in `filter`
  // (a value of "" matches any value of that key).
  virtual Result<std::vector<ContainerSummary>> List(const Labels& filter) = 0;
  virtual Result<ContainerDetails> Inspect(const std::string& id_or_name) = 0;
  // Returns the new container's id. kConflict when the name is taken.
  virtual Result<std::string> Create(const ContainerSpec& spec) = 0;
  virtual Status Start(const std::string& id) = 0;
  // Stops (SIGTERM, then SIGKILL after `timeout`). Stopping a stopped container is OK.
  virtual Status Stop(const std::string& id, std::chrono::seconds timeout) = 0;
  // The same stop (SIGTERM, then SIGKILL after `timeout`), handed to the
  // engine: true once the container stopped within `wait` (or was stopped),
  // false once the engine has the request, which it then carries out on its
  // own, also after stowage exits (Docker's stop is not cancelled with its
  // request).
  virtual Result<bool> BeginStop(const std::string& id, std::chrono::seconds timeout,
                                 std::chrono::milliseconds wait) = 0;
  // `docker rename`, running or not. kConflict when the name is taken.
  virtual Status Rename(const std::string& id, const std::string& new_name) = 0;
  virtual Status Remove(const std::string& id, bool force) = 0;
  // Pulls `image` unless the engine already has it; with `credentials` when
  // given, else with what Docker's config holds for its registry.
  virtual Status EnsureImage(const std::string& image,
                             const std::optional<PullCredentials>& credentials = std::nullopt) = 0;
  // Makes `image` ("repo:tag") present from `rootfs_tar` (an uncompressed tar
  // of a root filesystem) unless the engine already has it: no registry.
  virtual Status ImportImage(const std::string& image, const std::string& rootfs_tar) = 0;
  // Creates a named volume unless it exists.
  virtual Status EnsureVolume(const VolumeSpec& spec) = 0;
  // Names of the volumes carrying every label in `filter` ("" matches any value).
  virtual Result<std::vector<std::string>> ListVolumes(const Labels& filter) = 0;
  // Removes a named volume. Removing a volume that does not exist is OK;
  // kConflict when a container still uses it.
  virtual Status RemoveVolume(const std::string& name) = 0;
  virtual Result<std::unique_ptr<EventStream>> Events(const Labels& filter) = 0;
};

// Makes the Runtime for a registered host. The Docker factory resolves the
// endpoint ("default" honours DOCKER_HOST), TLS files and timeouts.
class RuntimeFactory {
 public:
  virtual ~RuntimeFactory() = default;
  virtual Result<std::shared_ptr<Runtime>> Connect(const model::Host& host) = 0;
};

}  // namespace stowage::runtime
