// Task definitions: the decoded, validated form of an ECS task definition.
//
// This is what the loader/decoder produces from `register-task-definition`
// JSON (or its YAML spelling) and what the planner, the container-spec builder
// and the revision hash consume. Units follow ECS: cpu in CPU units (1024 per
// vCPU), memory in MiB, times in seconds. Optional fields are std::optional
// or empty; defaults are applied by the decoder, so consumers never guess.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"

namespace stowage::model {

struct KeyValue {
  std::string name;
  std::string value;
};

// valueFrom names a key of the operator's secret providers or an age file of
// the source (secrets/reference.h); it is resolved by secrets/resolve.h in
// validate, plan and apply. The value is never part of the model.
struct Secret {
  std::string name;
  std::string value_from;
  Position position{};  // of the valueFrom value
};

struct PortMapping {
  int container_port = 0;
  int host_port = 0;             // 0: dynamic (engine picks), as ECS bridge mode without hostPort
  std::string protocol = "tcp";  // tcp | udp
  Position position;
};

struct HealthCheck {
  // ECS form, kept verbatim: ["CMD-SHELL", "curl -f ..."] or ["CMD", "exe", "arg"].
  std::vector<std::string> command;
  int interval = 30;  // seconds (ECS default)
  int timeout = 5;    // seconds
  int retries = 3;
  int start_period = 0;  // seconds
};

enum class DependencyCondition { kStart, kComplete, kSuccess, kHealthy };

struct ContainerDependency {
  std::string container_name;
  DependencyCondition condition = DependencyCondition::kStart;
  Position position;
};

struct MountPoint {
  std::string source_volume;  // name of a task-level volume
  std::string container_path;
  bool read_only = false;
  Position position;
};

struct VolumeFrom {
  std::string source_container;
  bool read_only = false;
  Position position;
};

struct Ulimit {
  std::string name;
  long long soft_limit = 0;
  long long hard_limit = 0;
};

struct LogConfiguration {
  std::string log_driver;
  std::map<std::string, std::string> options;
};

struct Tmpfs {
  std::string container_path;
  int size = 0;  // MiB
  std::vector<std::string> mount_options;
};

struct LinuxParameters {
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  std::optional<bool> init_process_enabled;
  std::optional<int> shared_memory_size;  // MiB
  std::vector<Tmpfs> tmpfs;
};

struct ExtraHost {
  std::string hostname;
  std::string ip_address;
};

struct ContainerDefinition {
  std::string name;
  std::string image;
  int cpu = 0;                            // CPU units; 0 = unset
  std::optional<int> memory;              // hard limit, MiB
  std::optional<int> memory_reservation;  // soft limit, MiB
  bool essential = true;
  std::vector<std::string> command;
  std::vector<std::string> entry_point;
  std::string working_directory;
  std::string user;
  std::vector<KeyValue> environment;
  std::vector<Secret> secrets;
  // repositoryCredentials.credentialsParameter ("" = none): a reference like
  // valueFrom, resolved for the pull of `image` only (secrets/
  // registry_credentials.h); neither it nor its value is in the revision.
  std::string credentials_parameter;
  Position credentials_position;  // of the credentialsParameter value
  std::vector<PortMapping> port_mappings;
  std::optional<HealthCheck> health_check;
  std::vector<ContainerDependency> depends_on;
  std::vector<MountPoint> mount_points;
  std::vector<VolumeFrom> volumes_from;
  std::vector<std::string> links;
  std::vector<Ulimit> ulimits;
  std::optional<LogConfiguration> log_configuration;
  std::map<std::string, std::string> docker_labels;
  std::optional<int> stop_timeout;  // seconds
  std::string hostname;
  std::vector<ExtraHost> extra_hosts;
  bool readonly_root_filesystem = false;
  bool privileged = false;
  LinuxParameters linux_parameters;
  // Accepted but not applied (the schema reports them ignored); decoded so that
  // the operator's policy (policy/policy.h) can refuse what they ask for.
  std::vector<std::string> devices;                  // linuxParameters.devices[].hostPath
  std::vector<std::string> docker_security_options;  // "seccomp=unconfined", ...
  std::vector<KeyValue> system_controls;             // namespace, value
  Position position;                                 // of the container definition (the mapping)
  // Precise places for semantic checks (check/, policy/); line 0 when unknown.
  Position name_position;
  Position memory_position;
  Position memory_reservation_position;
  Position image_position;
  Position user_position;
  Position privileged_position;
  Position readonly_position;          // readonlyRootFilesystem
  Position cap_add_position;           // linuxParameters.capabilities.add
  Position devices_position;           // linuxParameters.devices
  Position security_options_position;  // dockerSecurityOptions
  Position system_controls_position;
};

enum class NetworkMode { kBridge, kHost, kNone };

struct DockerVolumeConfiguration {
  std::string scope = "task";  // task | shared
  bool autoprovision = false;
  std::string driver = "local";
  std::map<std::string, std::string> driver_opts;
  std::map<std::string, std::string> labels;
};

struct Volume {
  std::string name;
  std::optional<std::string> host_source_path;  // bind mount from the host
  std::optional<DockerVolumeConfiguration> docker_volume_configuration;
  // Neither set: an anonymous task-scoped volume (ECS "empty" volume).
  Position position;
  Position host_source_path_position;  // line 0 when unknown
};

struct PlacementConstraint {
  std::string type;        // "distinctInstance" | "memberOf"
  std::string expression;  // cluster query language, for memberOf
  Position position;       // of the expression value, for parse errors
};

struct PlacementStrategy {
  std::string type;   // "spread" | "binpack" | "random"
  std::string field;  // spread: host|instanceId|attribute:X; binpack: cpu|memory
  Position position;
};

struct TaskDefinition {
  std::string family;
  std::optional<int> cpu;     // task-level CPU units
  std::optional<int> memory;  // task-level MiB
  NetworkMode network_mode = NetworkMode::kBridge;
  std::vector<ContainerDefinition> containers;
  std::vector<Volume> volumes;
  std::vector<PlacementConstraint> placement_constraints;
  std::map<std::string, std::string> tags;
  // Accepted but not applied (ignored with a warning); for the policy.
  std::string pid_mode;  // "host", "task" or ""
  std::string ipc_mode;  // "host", "task", "none" or ""
  Position position;     // of the document
  // Precise places for semantic checks (check/); line 0 when unknown.
  Position family_position;
  Position containers_position;             // the containerDefinitions value
  Position placement_constraints_position;  // the placementConstraints value
  Position network_mode_position;
  Position pid_mode_position;
  Position ipc_mode_position;
  // Content hash of the normalised definition (see model/revision.h); filled by the decoder.
  std::string revision;

  // What one task reserves on a host: task-level value if set, else the sum over
  // containers (memoryReservation when set, else memory).
  int CpuUnits() const;
  int MemoryMiB() const;
  const ContainerDefinition* FindContainer(const std::string& name) const;
};

const char* NetworkModeName(NetworkMode m);
const char* DependencyConditionName(DependencyCondition c);

}  // namespace stowage::model
