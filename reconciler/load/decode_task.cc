// Task definitions and their container definitions.
#include "load/decode.h"
#include "load/fields.h"
#include "model/revision.h"

namespace stowage::load {
namespace {

using model::ContainerDefinition;

model::DependencyCondition ConditionOf(const std::string& s) {
  if (s == "COMPLETE") return model::DependencyCondition::kComplete;
  if (s == "SUCCESS") return model::DependencyCondition::kSuccess;
  if (s == "HEALTHY") return model::DependencyCondition::kHealthy;
  return model::DependencyCondition::kStart;
}

void DecodeEnvironment(const Fields& f, ContainerDefinition& c) {
  ForEachItem(f, "environment", [&](const Fields& e, const Value&) {
    c.environment.push_back({e.String("name"), e.String("value")});
  });
  ForEachItem(f, "secrets", [&](const Fields& s, const Value&) {
    c.secrets.push_back({s.String("name"), s.String("valueFrom"), s.PositionOf("valueFrom")});
  });
  if (const Value* rc = f.Get("repositoryCredentials"); rc && rc->IsObject()) {
    Fields r(*rc, f.PathOf("repositoryCredentials"), f.diags());
    c.credentials_parameter = r.String("credentialsParameter");
    c.credentials_position = r.PositionOf("credentialsParameter");
  }
}

void DecodeNetworking(const Fields& f, ContainerDefinition& c) {
  ForEachItem(f, "portMappings", [&](const Fields& p, const Value& item) {
    if (p.Get("containerPort") == nullptr) {
      // containerPortRange alone: ignored, with the schema check's warning.
      if (p.Get("containerPortRange") != nullptr) return;
      f.diags().Error(item.loc.ToPosition(),
                      p.path() + ": missing required field \"containerPort\"");
      return;
    }
    model::PortMapping pm;
    pm.container_port = p.Int("containerPort", 0);
    pm.host_port = p.Int("hostPort", 0);
    pm.protocol = p.String("protocol", "tcp");
    pm.position = item.loc.ToPosition();
    c.port_mappings.push_back(std::move(pm));
  });
  c.links = f.Strings("links");
  c.hostname = f.String("hostname");
  ForEachItem(f, "extraHosts", [&](const Fields& h, const Value&) {
    c.extra_hosts.push_back({h.String("hostname"), h.String("ipAddress")});
  });
}

void DecodeHealthAndDependencies(const Fields& f, ContainerDefinition& c) {
  if (const Value* hc = f.Get("healthCheck"); hc && hc->IsObject()) {
    Fields h(*hc, f.PathOf("healthCheck"), f.diags());
    model::HealthCheck check;
    check.command = h.Strings("command");
    check.interval = h.Int("interval", check.interval);
    check.timeout = h.Int("timeout", check.timeout);
    check.retries = h.Int("retries", check.retries);
    check.start_period = h.Int("startPeriod", check.start_period);
    c.health_check = std::move(check);
  }
  ForEachItem(f, "dependsOn", [&](const Fields& d, const Value& item) {
    c.depends_on.push_back(
        {d.String("containerName"), ConditionOf(d.String("condition")), item.loc.ToPosition()});
  });
}

void DecodeStorage(const Fields& f, ContainerDefinition& c) {
  ForEachItem(f, "mountPoints", [&](const Fields& m, const Value& item) {
    c.mount_points.push_back({m.String("sourceVolume"), m.String("containerPath"),
                              m.Bool("readOnly", false), item.loc.ToPosition()});
  });
  ForEachItem(f, "volumesFrom", [&](const Fields& v, const Value& item) {
    c.volumes_from.push_back(
        {v.String("sourceContainer"), v.Bool("readOnly", false), item.loc.ToPosition()});
  });
}

void DecodeLinuxParameters(const Fields& f, ContainerDefinition& c) {
  const Value* lp = f.Get("linuxParameters");
  if (!lp || !lp->IsObject()) return;
  Fields l(*lp, f.PathOf("linuxParameters"), f.diags());
  if (const Value* caps = l.Get("capabilities"); caps && caps->IsObject()) {
    Fields cf(*caps, l.PathOf("capabilities"), f.diags());
    c.linux_parameters.cap_add = cf.Strings("add");
    c.linux_parameters.cap_drop = cf.Strings("drop");
  }
  if (l.Get("initProcessEnabled")) {
    c.linux_parameters.init_process_enabled = l.Bool("initProcessEnabled", false);
  }
  c.linux_parameters.shared_memory_size = l.OptionalInt("sharedMemorySize");
  c.cap_add_position = l.PositionIfGiven("capabilities");
  if (const Value* caps = l.Get("capabilities"); caps && caps->Find("add")) {
    c.cap_add_position = caps->Find("add")->loc.ToPosition();
  }
  ForEachItem(l, "devices", [&](const Fields& d, const Value&) {
    c.devices.push_back(d.String("hostPath", "(unnamed)"));
  });
  c.devices_position = l.PositionIfGiven("devices");
  ForEachItem(l, "tmpfs", [&](const Fields& t, const Value&) {
    c.linux_parameters.tmpfs.push_back(
        {t.String("containerPath"), t.Int("size", 0), t.Strings("mountOptions")});
  });
}

void DecodeProcess(const Fields& f, ContainerDefinition& c) {
  c.command = f.Strings("command");
  c.entry_point = f.Strings("entryPoint");
  c.working_directory = f.String("workingDirectory");
  c.user = f.String("user");
  ForEachItem(f, "ulimits", [&](const Fields& u, const Value&) {
    c.ulimits.push_back({u.String("name"), u.Long("softLimit"), u.Long("hardLimit")});
  });
  if (const Value* lc = f.Get("logConfiguration"); lc && lc->IsObject()) {
    Fields l(*lc, f.PathOf("logConfiguration"), f.diags());
    c.log_configuration = model::LogConfiguration{l.String("logDriver"), l.StringMap("options")};
  }
  c.docker_labels = f.StringMap("dockerLabels");
  c.stop_timeout = f.OptionalInt("stopTimeout");
  c.readonly_root_filesystem = f.Bool("readonlyRootFilesystem", false);
  c.privileged = f.Bool("privileged", false);
  c.user_position = f.PositionIfGiven("user");
  c.privileged_position = f.PositionIfGiven("privileged");
  c.readonly_position = f.PositionIfGiven("readonlyRootFilesystem");
  // Ignored by the schema (not applied), kept for the policy.
  c.docker_security_options = f.Strings("dockerSecurityOptions");
  c.security_options_position = f.PositionIfGiven("dockerSecurityOptions");
  ForEachItem(f, "systemControls", [&](const Fields& s, const Value&) {
    c.system_controls.push_back({s.String("namespace"), s.String("value")});
  });
  c.system_controls_position = f.PositionIfGiven("systemControls");
}

ContainerDefinition DecodeContainer(const Fields& f, const Value& item) {
  ContainerDefinition c;
  c.name = f.String("name");
  c.image = f.String("image");
  c.image_position = f.PositionIfGiven("image");
  c.cpu = f.Int("cpu", 0);
  c.memory = f.OptionalInt("memory");
  c.memory_reservation = f.OptionalInt("memoryReservation");
  c.essential = f.Bool("essential", true);
  c.position = item.loc.ToPosition();
  c.name_position = f.PositionOf("name");
  c.memory_position = f.PositionIfGiven("memory");
  c.memory_reservation_position = f.PositionIfGiven("memoryReservation");
  DecodeEnvironment(f, c);
  DecodeNetworking(f, c);
  DecodeHealthAndDependencies(f, c);
  DecodeStorage(f, c);
  DecodeLinuxParameters(f, c);
  DecodeProcess(f, c);
  return c;
}

model::Volume DecodeVolume(const Fields& f, const Value& item) {
  model::Volume v;
  v.name = f.String("name");
  v.position = item.loc.ToPosition();
  if (const Value* host = f.Get("host"); host && host->IsObject() && host->Find("sourcePath")) {
    v.host_source_path = Fields(*host, f.PathOf("host"), f.diags()).String("sourcePath");
    v.host_source_path_position = host->Find("sourcePath")->loc.ToPosition();
  }
  if (const Value* dv = f.Get("dockerVolumeConfiguration"); dv && dv->IsObject()) {
    Fields d(*dv, f.PathOf("dockerVolumeConfiguration"), f.diags());
    model::DockerVolumeConfiguration config;
    config.scope = d.String("scope", config.scope);
    config.autoprovision = d.Bool("autoprovision", config.autoprovision);
    config.driver = d.String("driver", config.driver);
    config.driver_opts = d.StringMap("driverOpts");
    config.labels = d.StringMap("labels");
    v.docker_volume_configuration = std::move(config);
  }
  return v;
}

// Task-level cpu/memory: a number of units or an ECS spelling ("1 vCPU", "2 GB").
std::optional<int> DecodeTaskUnits(const Fields& f, const char* key, bool cpu) {
  const Value* v = f.Get(key);
  if (!v || v->IsNull()) return std::nullopt;
  auto units = cpu ? ParseCpuUnits(v->text) : ParseMemoryMiB(v->text);
  if (!units) {
    f.diags().Error(v->loc.ToPosition(), f.PathOf(key) + ": expected " +
                                             (cpu ? "a whole number of CPU units (1 vCPU = 1024)"
                                                  : "a whole number of MiB (1 GB = 1024)") +
                                             ", got " + v->Describe());
  }
  return units;
}

model::NetworkMode DecodeNetworkMode(const Fields& f) {
  const std::string mode = f.String("networkMode", "bridge");
  if (mode == "host") return model::NetworkMode::kHost;
  if (mode == "none") return model::NetworkMode::kNone;
  if (mode == "awsvpc") {
    f.diags().Warning(f.PositionOf("networkMode"),
                      "networkMode \"awsvpc\" is treated as \"bridge\" (awsvpc is AWS only)");
  }
  return model::NetworkMode::kBridge;
}

}  // namespace

bool DecodeTaskDefinition(const Value& doc, model::TaskDefinition& out, Diagnostics& diags) {
  const int errors_before = diags.errors();
  Fields f(doc, "", diags);
  out.family = f.String("family");
  out.cpu = DecodeTaskUnits(f, "cpu", true);
  out.memory = DecodeTaskUnits(f, "memory", false);
  out.network_mode = DecodeNetworkMode(f);
  out.network_mode_position = f.PositionIfGiven("networkMode");
  out.pid_mode = f.String("pidMode");  // ignored by the schema, kept for the policy
  out.ipc_mode = f.String("ipcMode");
  out.pid_mode_position = f.PositionIfGiven("pidMode");
  out.ipc_mode_position = f.PositionIfGiven("ipcMode");
  ForEachItem(f, "containerDefinitions", [&](const Fields& c, const Value& item) {
    out.containers.push_back(DecodeContainer(c, item));
  });
  ForEachItem(f, "volumes", [&](const Fields& v, const Value& item) {
    out.volumes.push_back(DecodeVolume(v, item));
  });
  ForEachItem(f, "placementConstraints", [&](const Fields& p, const Value& item) {
    out.placement_constraints.push_back(
        {p.String("type"), p.String("expression"),
         p.Get("expression") ? p.PositionOf("expression") : item.loc.ToPosition()});
  });
  out.tags = f.Tags("tags");
  out.position = doc.loc.ToPosition();
  out.family_position = f.PositionOf("family");
  out.containers_position = f.PositionOf("containerDefinitions");
  out.placement_constraints_position = f.PositionIfGiven("placementConstraints");
  out.revision = model::ComputeRevision(out);
  return diags.errors() == errors_before;
}

}  // namespace stowage::load
