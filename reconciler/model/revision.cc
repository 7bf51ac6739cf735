#include "model/revision.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/hash.h"

namespace stowage::model {
namespace {

void Add(Hasher& h, const std::string& s) { h.Add(s); }
void Add(Hasher& h, int n) { h.Add(static_cast<std::int64_t>(n)); }
void Add(Hasher& h, long long n) { h.Add(static_cast<std::int64_t>(n)); }
void Add(Hasher& h, bool b) { h.Add(static_cast<std::int64_t>(b ? 1 : 0)); }

template <typename T>
void Add(Hasher& h, const std::optional<T>& v) {
  Add(h, v.has_value());
  if (v) Add(h, *v);
}

void Add(Hasher& h, const std::vector<std::string>& list) {
  Add(h, static_cast<int>(list.size()));
  for (const auto& s : list) Add(h, s);
}

void Add(Hasher& h, const std::map<std::string, std::string>& map) {
  Add(h, static_cast<int>(map.size()));
  for (const auto& [k, v] : map) {
    Add(h, k);
    Add(h, v);
  }
}

// A list whose order carries no meaning: each element is hashed on its own,
// and the element digests are added in sorted order.
template <typename T>
void AddUnordered(Hasher& h, const std::vector<T>& list,
                  const std::function<void(Hasher&, const T&)>& add_one) {
  std::vector<std::string> digests;
  digests.reserve(list.size());
  for (const auto& item : list) {
    Hasher one;
    add_one(one, item);
    digests.push_back(one.HexDigest());
  }
  std::sort(digests.begin(), digests.end());
  Add(h, digests);
}

// Environment variables and secrets: keyed by name, but a later duplicate
// overrides an earlier one, so equal names keep their relative order.
template <typename T>
void AddByName(Hasher& h, std::vector<T> list) {
  std::stable_sort(list.begin(), list.end(),
                   [](const T& a, const T& b) { return a.name < b.name; });
  Add(h, static_cast<int>(list.size()));
  for (const auto& item : list) {
    Add(h, item.name);
    if constexpr (std::is_same_v<T, Secret>) {
      Add(h, item.value_from);
    } else {
      Add(h, item.value);
    }
  }
}

void AddHealthCheck(Hasher& h, const std::optional<HealthCheck>& hc) {
  Add(h, hc.has_value());
  if (!hc) return;
  Add(h, hc->command);
  Add(h, hc->interval);
  Add(h, hc->timeout);
  Add(h, hc->retries);
  Add(h, hc->start_period);
}

void AddLinuxParameters(Hasher& h, const LinuxParameters& lp) {
  auto cap_add = lp.cap_add;
  auto cap_drop = lp.cap_drop;
  std::sort(cap_add.begin(), cap_add.end());
  std::sort(cap_drop.begin(), cap_drop.end());
  Add(h, cap_add);
  Add(h, cap_drop);
  Add(h, lp.init_process_enabled.value_or(false));  // absent means false
  Add(h, lp.shared_memory_size);
  AddUnordered<Tmpfs>(h, lp.tmpfs, [](Hasher& t, const Tmpfs& fs) {
    Add(t, fs.container_path);
    Add(t, fs.size);
    Add(t, fs.mount_options);
  });
}

void AddContainer(Hasher& h, const ContainerDefinition& c, NetworkMode mode) {
  Add(h, c.name);
  Add(h, c.image);
  Add(h, c.cpu);
  Add(h, c.memory);
  Add(h, c.memory_reservation);
  Add(h, c.essential);
  Add(h, c.command);
  Add(h, c.entry_point);
  Add(h, c.working_directory);
  Add(h, c.user);
  AddByName(h, c.environment);
  AddByName(h, c.secrets);
  AddUnordered<PortMapping>(h, c.port_mappings, [mode](Hasher& p, const PortMapping& pm) {
    // In host mode an absent hostPort is the containerPort (ECS).
    int host_port =
        (mode == NetworkMode::kHost && pm.host_port == 0) ? pm.container_port : pm.host_port;
    Add(p, pm.container_port);
    Add(p, host_port);
    Add(p, pm.protocol);
  });
  AddHealthCheck(h, c.health_check);
  AddUnordered<ContainerDependency>(h, c.depends_on, [](Hasher& d, const ContainerDependency& dep) {
    Add(d, dep.container_name);
    Add(d, static_cast<int>(dep.condition));
  });
  AddUnordered<MountPoint>(h, c.mount_points, [](Hasher& m, const MountPoint& mp) {
    Add(m, mp.source_volume);
    Add(m, mp.container_path);
    Add(m, mp.read_only);
  });
  AddUnordered<VolumeFrom>(h, c.volumes_from, [](Hasher& v, const VolumeFrom& vf) {
    Add(v, vf.source_container);
    Add(v, vf.read_only);
  });
  auto links = c.links;
  std::sort(links.begin(), links.end());
  Add(h, links);
  AddUnordered<Ulimit>(h, c.ulimits, [](Hasher& u, const Ulimit& ul) {
    Add(u, ul.name);
    Add(u, ul.soft_limit);
    Add(u, ul.hard_limit);
  });
  Add(h, c.log_configuration.has_value());
  if (c.log_configuration) {
    Add(h, c.log_configuration->log_driver);
    Add(h, c.log_configuration->options);
  }
  Add(h, c.docker_labels);
  Add(h, c.stop_timeout);
  Add(h, c.hostname);
  AddUnordered<ExtraHost>(h, c.extra_hosts, [](Hasher& e, const ExtraHost& eh) {
    Add(e, eh.hostname);
    Add(e, eh.ip_address);
  });
  Add(h, c.readonly_root_filesystem);
  Add(h, c.privileged);
  AddLinuxParameters(h, c.linux_parameters);
}

void AddVolume(Hasher& h, const Volume& v) {
  Add(h, v.name);
  Add(h, v.host_source_path);
  Add(h, v.docker_volume_configuration.has_value());
  if (const auto& d = v.docker_volume_configuration) {
    Add(h, d->scope);
    Add(h, d->autoprovision);
    Add(h, d->driver);
    Add(h, d->driver_opts);
    Add(h, d->labels);
  }
}

}  // namespace

std::string ComputeRevision(const TaskDefinition& td) {
  Hasher h;
  Add(h, std::string("stowage.task-definition.v1"));
  Add(h, td.family);
  Add(h, td.cpu);
  Add(h, td.memory);
  Add(h, std::string(NetworkModeName(td.network_mode)));
  AddUnordered<ContainerDefinition>(
      h, td.containers, [mode = td.network_mode](Hasher& c, const ContainerDefinition& cd) {
        AddContainer(c, cd, mode);
      });
  AddUnordered<Volume>(h, td.volumes, AddVolume);
  AddUnordered<PlacementConstraint>(h, td.placement_constraints,
                                    [](Hasher& p, const PlacementConstraint& pc) {
                                      Add(p, pc.type);
                                      Add(p, pc.expression);
                                    });
  Add(h, td.tags);
  return h.HexDigest().substr(0, 16);
}

}  // namespace stowage::model
