// Checks on one task definition: containers, memory, ports, volumes, limits.
// dependsOn has its own file (dependency_checks.cc).
#include <map>
#include <set>
#include <string>
#include <utility>

#include "check/checks.h"
#include "check/internal.h"
#include "check/position.h"
#include "model/image_reference.h"
#include "secrets/resolve.h"

namespace stowage::check {
namespace {

using model::ContainerDefinition;
using model::NetworkMode;
using model::TaskDefinition;

void CheckContainerCount(const TaskDefinition& td, Diagnostics& diags) {
  const auto& where = Best(td.containers_position, td.position);
  const int n = static_cast<int>(td.containers.size());
  if (n == 0) {
    diags.Error(where, "containerDefinitions: a task definition needs at least one container");
    return;
  }
  CheckLimit("containerDefinitions", "containers", td.containers.size(), kMaxContainers, where,
             diags);
  bool any_essential = false;
  for (const auto& c : td.containers) any_essential = any_essential || c.essential;
  if (!any_essential) {
    diags.Error(where, "containerDefinitions: at least one container must be essential");
  }
}

void CheckContainerNames(const TaskDefinition& td, Diagnostics& diags) {
  UniqueNames names("name", "container");
  for (const auto& c : td.containers) names.Add(c.name, Best(c.name_position, c.position), diags);
}

void CheckMemory(const TaskDefinition& td, const ContainerDefinition& c, Diagnostics& diags) {
  // Equal is what ECS registers (a hard limit at the reservation).
  if (c.memory && c.memory_reservation && *c.memory < *c.memory_reservation) {
    diags.Error(Best(c.memory_position, c.position),
                "memory: " + std::to_string(*c.memory) +
                    " MiB must not be less than memoryReservation " +
                    std::to_string(*c.memory_reservation) + " MiB");
  }
  if (!td.memory && !c.memory && !c.memory_reservation) {
    diags.Error(Best(c.name_position, c.position),
                "container " + Quote(c.name) +
                    " needs memory or memoryReservation, as the task definition sets no "
                    "task-level memory");
  }
}

// The port a mapping takes on the host: in host mode an absent hostPort is the
// containerPort; in bridge mode 0 is dynamic (takes no fixed port).
int EffectiveHostPort(NetworkMode mode, const model::PortMapping& pm) {
  if (mode == NetworkMode::kHost && pm.host_port == 0) return pm.container_port;
  return pm.host_port;
}

void CheckPorts(const TaskDefinition& td, Diagnostics& diags) {
  std::map<std::pair<int, std::string>, Position> taken;
  for (const auto& c : td.containers) {
    for (const auto& pm : c.port_mappings) {
      const auto& where = Best(pm.position, c.position);
      if (td.network_mode == NetworkMode::kNone) {
        diags.Error(where, "portMappings: networkMode none has no network to map ports on");
        continue;
      }
      if (td.network_mode == NetworkMode::kHost && pm.host_port != 0 &&
          pm.host_port != pm.container_port) {
        diags.Error(where, "hostPort: must equal containerPort " +
                               std::to_string(pm.container_port) + " in networkMode host, got " +
                               std::to_string(pm.host_port));
        continue;
      }
      const int host_port = EffectiveHostPort(td.network_mode, pm);
      if (host_port == 0) continue;
      auto [it, inserted] = taken.emplace(std::make_pair(host_port, pm.protocol), where);
      if (!inserted) {
        diags.Error(where, "hostPort: " + std::to_string(host_port) + "/" + pm.protocol +
                               " is already mapped at " + Where(it->second, where));
      }
    }
  }
}

void CheckVolumes(const TaskDefinition& td, Diagnostics& diags) {
  UniqueNames volumes("volumes", "volume");
  for (const auto& v : td.volumes) volumes.Add(v.name, Best(v.position, td.position), diags);
  for (const auto& c : td.containers) {
    for (const auto& mp : c.mount_points) {
      if (!volumes.Contains(mp.source_volume)) {
        diags.Error(Best(mp.position, c.position),
                    "mountPoints: sourceVolume " + Quote(mp.source_volume) +
                        " is not a volume of this task definition" +
                        DidYouMean(mp.source_volume, volumes.Names()));
      }
    }
    for (const auto& vf : c.volumes_from) {
      if (vf.source_container == c.name) {
        diags.Error(Best(vf.position, c.position),
                    "volumesFrom: container " + Quote(c.name) + " cannot mount its own volumes");
      } else if (td.FindContainer(vf.source_container) == nullptr) {
        diags.Error(Best(vf.position, c.position),
                    "volumesFrom: sourceContainer " + Quote(vf.source_container) +
                        " is not a container of this task definition" +
                        DidYouMean(vf.source_container, ContainerNames(td)));
      }
    }
  }
}

// What apply would fail on: an image Docker cannot parse (a placeholder left in),
// a bind mount of a relative host path.
void CheckImages(const TaskDefinition& td, Diagnostics& diags) {
  for (const auto& c : td.containers) {
    const std::string problem = model::ImageReferenceProblem(c.image);
    if (problem.empty()) continue;
    diags.Error(Best(c.image_position, c.position),
                "image: " + Quote(c.image) + " is not a valid image reference (" + problem + ")");
  }
  for (const auto& v : td.volumes) {
    if (!v.host_source_path || v.host_source_path->empty() || (*v.host_source_path)[0] == '/') {
      continue;
    }
    diags.Error(Best(v.host_source_path_position, v.position),
                "host.sourcePath: expected an absolute path on the host, got " +
                    Quote(*v.host_source_path));
  }
}

void CheckTaskConstraints(const TaskDefinition& td, Diagnostics& diags) {
  CheckLimit("placementConstraints", "constraints", td.placement_constraints.size(),
             kMaxPlacementConstraints, Best(td.placement_constraints_position, td.position), diags);
  for (const auto& pc : td.placement_constraints) {
    CheckConstraintExpression(pc, td.position, diags);
  }
}

}  // namespace

void CheckTaskDefinition(const TaskDefinition& td, Diagnostics& diags) {
  CheckContainerCount(td, diags);
  CheckContainerNames(td, diags);
  for (const auto& c : td.containers) CheckMemory(td, c, diags);
  CheckDependencies(td, diags);
  CheckPorts(td, diags);
  CheckVolumes(td, diags);
  CheckTaskConstraints(td, diags);
  CheckImages(td, diags);
  secrets::CheckReferences(td, diags);
}

}  // namespace stowage::check
