#include "apply/container_spec.h"

#include <map>
#include <nlohmann/json.hpp>

#include "model/container_config.h"
#include "model/labels.h"
#include "model/normal_form.h"
#include "secrets/registry_credentials.h"
#include "util/hash.h"

namespace stowage::apply {
namespace {

constexpr std::int64_t kMiB = 1024 * 1024;
constexpr std::int64_t kNsPerSecond = 1000000000;

// The containers `c` must start after (dependsOn, links, volumesFrom).
std::vector<std::string> Prerequisites(const model::ContainerDefinition& c) {
  std::vector<std::string> out;
  for (const auto& d : c.depends_on) out.push_back(d.container_name);
  for (const auto& l : c.links) out.push_back(l.substr(0, l.find(':')));
  for (const auto& v : c.volumes_from) out.push_back(v.source_container);
  return out;
}

Status Visit(const model::TaskDefinition& td, const model::ContainerDefinition& c,
             std::map<std::string, int>& mark,
             std::vector<const model::ContainerDefinition*>& out) {
  int& m = mark[c.name];
  if (m == 2) return Status::Ok();
  if (m == 1) {
    return Status::Invalid("task definition " + td.family + ": container " + c.name +
                           " depends on itself (cycle)");
  }
  m = 1;
  for (const auto& name : Prerequisites(c)) {
    const auto* dep = td.FindContainer(name);
    if (dep == nullptr) {
      return Status::Invalid("task definition " + td.family + ": container " + c.name +
                             " refers to unknown container " + name);
    }
    if (auto st = Visit(td, *dep, mark, out); !st.ok()) return st;
  }
  mark[c.name] = 2;
  out.push_back(&c);
  return Status::Ok();
}

nlohmann::json SpecJson(const runtime::ContainerSpec& s) {
  nlohmann::json mounts = nlohmann::json::array();
  for (const auto& m : s.mounts) {
    mounts.push_back({static_cast<int>(m.type), m.source, m.target, m.read_only, m.tmpfs_size_bytes,
                      m.tmpfs_options});
  }
  nlohmann::json ports = nlohmann::json::array();
  for (const auto& p : s.ports) ports.push_back({p.container_port, p.host_port, p.protocol});
  nlohmann::json ulimits = nlohmann::json::array();
  for (const auto& u : s.ulimits) ulimits.push_back({u.name, u.soft, u.hard});
  nlohmann::json health = nullptr;
  if (s.healthcheck) {
    const auto& h = *s.healthcheck;
    health = {h.test, h.interval_ns, h.timeout_ns, h.start_period_ns, h.retries};
  }
  nlohmann::json labels(s.labels);
  labels.erase(labels::kSpecHash);
  labels.erase(labels::kCommit);  // a new commit alone replaces no task
  return {s.name,
          s.image,
          s.cmd,
          s.entrypoint,
          s.env,
          s.working_dir,
          s.user,
          labels,
          ports,
          s.cpu_shares,
          s.memory_bytes,
          s.memory_reservation_bytes,
          mounts,
          ulimits,
          s.log_driver,
          s.log_options,
          health,
          s.stop_timeout_seconds ? *s.stop_timeout_seconds : -1,
          s.extra_hosts,
          s.hostname,
          s.readonly_rootfs,
          s.privileged,
          s.cap_add,
          s.cap_drop,
          s.init ? static_cast<int>(*s.init) : -1,
          s.shm_size_bytes,
          s.network_mode,
          s.links,
          s.volumes_from};
}

std::string SpecHash(const runtime::ContainerSpec& spec) {
  return Hasher().Add(SpecJson(spec).dump()).HexDigest();
}

runtime::Labels TaskLabels(const model::TaskDefinition& td, const TaskIdentity& id,
                           const std::string& container) {
  runtime::Labels l;
  l[labels::kCluster] = id.cluster;
  l[labels::kHost] = id.host;
  l[labels::kService] = id.service;
  l[labels::kTask] = id.task_id;
  l[labels::kFamily] = td.family;
  l[labels::kRevision] = td.revision;
  l[labels::kContainer] = container;
  l[labels::kCpu] = std::to_string(td.CpuUnits());
  l[labels::kMemory] = std::to_string(td.MemoryMiB());
  if (id.standalone) l[labels::kStandalone] = "true";
  if (!id.commit.empty()) l[labels::kCommit] = id.commit;
  return l;
}

// What names start with: the service, or the family of a standalone task.
std::string GroupName(const TaskIdentity& id) {
  constexpr std::string_view kPrefix = "run-task:";
  if (id.standalone && id.service.rfind(kPrefix, 0) == 0) return id.service.substr(kPrefix.size());
  return id.service;
}

std::string RealName(const TaskIdentity& id, const std::string& container) {
  return labels::ContainerName(GroupName(id), container, id.task_id);
}

// Volume name as the engine knows it, or the host path for a bind mount.
Result<runtime::Mount> MountFor(const model::TaskDefinition& td, const TaskIdentity& id,
                                const model::MountPoint& mp) {
  runtime::Mount m;
  m.target = mp.container_path;
  m.read_only = mp.read_only;
  for (const auto& v : td.volumes) {
    if (v.name != mp.source_volume) continue;
    if (v.host_source_path) {
      m.type = runtime::Mount::Type::kBind;
      m.source = *v.host_source_path;
    } else if (v.docker_volume_configuration && v.docker_volume_configuration->scope == "shared") {
      m.source = v.name;
    } else {
      m.source = TaskVolumeName(id, v.name);
    }
    return m;
  }
  return Status::Invalid("task definition " + td.family +
                         ": mount point refers to unknown volume " + mp.source_volume);
}

void SetResources(const model::ContainerDefinition& c, runtime::ContainerSpec& s) {
  const model::UpdatableConfig config = model::ExpectedConfig(c);
  s.cpu_shares = config.cpu_shares;
  s.memory_bytes = config.memory_bytes;
  s.memory_reservation_bytes = config.memory_reservation_bytes;
  for (const auto& u : c.ulimits) s.ulimits.push_back({u.name, u.soft_limit, u.hard_limit});
  const auto& lp = c.linux_parameters;
  s.cap_add = lp.cap_add;
  s.cap_drop = lp.cap_drop;
  s.init = lp.init_process_enabled;
  if (lp.shared_memory_size) s.shm_size_bytes = *lp.shared_memory_size * kMiB;
  for (const auto& t : lp.tmpfs) {
    runtime::Mount m;
    m.type = runtime::Mount::Type::kTmpfs;
    m.target = t.container_path;
    m.tmpfs_size_bytes = t.size * kMiB;
    m.tmpfs_options = t.mount_options;
    s.mounts.push_back(std::move(m));
  }
}

void SetHealthAndLogs(const model::ContainerDefinition& c, runtime::ContainerSpec& s) {
  if (c.health_check) {
    const auto& h = *c.health_check;
    runtime::HealthConfig hc;
    hc.test = h.command;
    hc.interval_ns = h.interval * kNsPerSecond;
    hc.timeout_ns = h.timeout * kNsPerSecond;
    hc.start_period_ns = h.start_period * kNsPerSecond;
    hc.retries = h.retries;
    s.healthcheck = std::move(hc);
  }
  if (c.log_configuration) {
    s.log_driver = c.log_configuration->log_driver;
    s.log_options = c.log_configuration->options;
  }
}

Status SetNetworking(const model::TaskDefinition& td, const TaskIdentity& id,
                     const model::ContainerDefinition& c, runtime::ContainerSpec& s) {
  s.network_mode = model::NetworkModeName(td.network_mode);
  if (td.network_mode == model::NetworkMode::kBridge) {
    for (const auto& p : c.port_mappings) {
      s.ports.push_back({p.container_port, p.host_port, p.protocol});
    }
    for (const auto& l : c.links) {
      auto colon = l.find(':');
      std::string target = l.substr(0, colon);
      std::string alias = colon == std::string::npos ? target : l.substr(colon + 1);
      s.links.push_back(RealName(id, target) + ":" + alias);
    }
  }
  for (const auto& h : c.extra_hosts) s.extra_hosts.push_back(h.hostname + ":" + h.ip_address);
  s.hostname = c.hostname;
  for (const auto& v : c.volumes_from) {
    if (td.FindContainer(v.source_container) == nullptr) {
      return Status::Invalid("task definition " + td.family + ": container " + c.name +
                             " takes volumes from unknown container " + v.source_container);
    }
    s.volumes_from.push_back(RealName(id, v.source_container) + (v.read_only ? ":ro" : ""));
  }
  return Status::Ok();
}

Result<ContainerPlan> BuildContainer(const model::TaskDefinition& td, const TaskIdentity& id,
                                     const model::ContainerDefinition& c, std::size_t order,
                                     const SecretResolver& resolve) {
  ContainerPlan cp;
  cp.name = c.name;
  cp.essential = c.essential;
  cp.definition = &c;
  if (c.stop_timeout) cp.stop_timeout_seconds = *c.stop_timeout;
  auto& s = cp.spec;
  s.name = RealName(id, c.name);
  s.image = c.image;
  s.cmd = c.command;
  s.entrypoint = c.entry_point;
  for (const auto& kv : c.environment) s.env.push_back(kv.name + "=" + kv.value);
  // The hash sees the secret's reference, never its value.
  for (const auto& sec : c.secrets) s.env.push_back(sec.name + "=" + sec.value_from);
  s.working_dir = c.working_directory;
  s.user = c.user;
  s.labels = c.docker_labels;
  for (auto& [k, v] : TaskLabels(td, id, c.name)) s.labels[k] = v;
  s.labels[labels::kStartOrder] = std::to_string(order);
  s.labels[labels::kEssential] = c.essential ? "true" : "false";
  s.labels[labels::kStopTimeout] = std::to_string(c.stop_timeout.value_or(30));
  std::string definition = model::NormalFormLabel(model::ContainerNormalForm(td, c));
  if (!definition.empty()) s.labels[labels::kDefinition] = std::move(definition);
  if (!id.service_definition.empty()) s.labels[labels::kServiceDefinition] = id.service_definition;
  SetResources(c, s);
  SetHealthAndLogs(c, s);
  for (const auto& mp : c.mount_points) {
    auto m = MountFor(td, id, mp);
    if (!m.ok()) return m.status();
    s.mounts.push_back(std::move(*m));
  }
  s.stop_timeout_seconds = c.stop_timeout;
  s.readonly_rootfs = c.readonly_root_filesystem;
  s.privileged = c.privileged;
  if (auto st = SetNetworking(td, id, c, s); !st.ok()) return st;
  s.labels[labels::kSpecHash] = SpecHash(s);
  auto credentials = PullCredentialsFor(c, resolve);
  if (!credentials.ok()) return credentials.status();
  s.pull_credentials = std::move(*credentials);
  std::size_t first_secret = c.environment.size();
  for (std::size_t i = 0; i < c.secrets.size(); ++i) {
    auto value = resolve(c.secrets[i].value_from);
    if (!value.ok()) {
      return Status(value.status().code(), "secret " + c.secrets[i].name + " of container " +
                                               c.name + ": " + value.status().message());
    }
    s.env[first_secret + i] = c.secrets[i].name + "=" + *value;
  }
  return cp;
}

std::vector<runtime::VolumeSpec> TaskVolumes(const model::TaskDefinition& td,
                                             const TaskIdentity& id) {
  std::vector<runtime::VolumeSpec> out;
  for (const auto& v : td.volumes) {
    if (v.host_source_path) continue;
    runtime::VolumeSpec vs;
    const auto& dvc = v.docker_volume_configuration;
    bool shared = dvc && dvc->scope == "shared";
    vs.name = shared ? v.name : TaskVolumeName(id, v.name);
    if (dvc) {
      vs.driver = dvc->driver;
      vs.driver_opts = dvc->driver_opts;
      vs.labels = dvc->labels;
    }
    vs.labels[labels::kCluster] = id.cluster;
    if (!shared) {
      vs.labels[labels::kService] = id.service;
      vs.labels[labels::kTask] = id.task_id;
    }
    out.push_back(std::move(vs));
  }
  return out;
}

}  // namespace

Result<std::string> NoSecrets(const std::string& value_from) {
  (void)value_from;
  return Status::Invalid(
      "no secret was resolved (give the secret providers: --secrets-dir, "
      "--secrets-env, --age-identity)");
}

Result<std::optional<runtime::PullCredentials>> PullCredentialsFor(
    const model::ContainerDefinition& c, const SecretResolver& resolve) {
  if (c.credentials_parameter.empty()) return std::optional<runtime::PullCredentials>();
  const std::string where = "repositoryCredentials of container " + c.name + ": ";
  auto value = resolve(c.credentials_parameter);
  if (!value.ok()) return Status(value.status().code(), where + value.status().message());
  auto credentials = secrets::ParseRegistryCredentials(c.credentials_parameter, *value);
  if (!credentials.ok()) {
    return Status(credentials.status().code(), where + credentials.status().message());
  }
  return std::optional<runtime::PullCredentials>(std::move(*credentials));
}

const ContainerPlan* TaskSpec::Find(const std::string& name) const {
  for (const auto& c : containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string StandaloneService(const std::string& family) { return "run-task:" + family; }

std::string TaskVolumeName(const TaskIdentity& id, const std::string& volume) {
  return GroupName(id) + "." + volume + "." + id.task_id;
}

Result<std::vector<const model::ContainerDefinition*>> StartOrder(const model::TaskDefinition& td) {
  std::map<std::string, int> mark;
  std::vector<const model::ContainerDefinition*> out;
  for (const auto& c : td.containers) {
    if (auto st = Visit(td, c, mark, out); !st.ok()) return st;
  }
  return out;
}

Result<TaskSpec> BuildTaskSpec(const model::TaskDefinition& td, const TaskIdentity& id,
                               const SecretResolver& resolve) {
  auto order = StartOrder(td);
  if (!order.ok()) return order.status();
  TaskSpec spec;
  spec.volumes = TaskVolumes(td, id);
  for (const auto* c : *order) {
    auto cp = BuildContainer(td, id, *c, spec.containers.size(), resolve);
    if (!cp.ok()) return cp.status();
    spec.containers.push_back(std::move(*cp));
  }
  return spec;
}

}  // namespace stowage::apply
