#include "model/normal_form.h"

#include <algorithm>

namespace stowage::model {
namespace {

using Json = nlohmann::json;

// Sets `key` only when the value differs from its default.
void Put(Json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
void Put(Json& j, const char* key, const std::vector<std::string>& v) {
  if (!v.empty()) j[key] = v;
}
void Put(Json& j, const char* key, const std::map<std::string, std::string>& v) {
  if (!v.empty()) j[key] = v;
}
template <typename T>
void Put(Json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

// A sorted set of strings, omitted when empty.
void PutSet(Json& j, const char* key, std::vector<std::string> v) {
  if (v.empty()) return;
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  j[key] = v;
}

std::string PortText(const PortMapping& pm, NetworkMode mode) {
  int host_port =
      (mode == NetworkMode::kHost && pm.host_port == 0) ? pm.container_port : pm.host_port;
  std::string container = std::to_string(pm.container_port) + "/" + pm.protocol;
  return host_port == 0 ? container : std::to_string(host_port) + ":" + container;
}

Json HealthCheckForm(const HealthCheck& hc) {
  return {{"command", hc.command},
          {"interval", hc.interval},
          {"timeout", hc.timeout},
          {"retries", hc.retries},
          {"startPeriod", hc.start_period}};
}

Json LinuxParametersForm(const LinuxParameters& lp) {
  Json j = Json::object();
  PutSet(j, "capAdd", lp.cap_add);
  PutSet(j, "capDrop", lp.cap_drop);
  if (lp.init_process_enabled.value_or(false)) j["initProcessEnabled"] = true;
  Put(j, "sharedMemorySize", lp.shared_memory_size);
  for (const auto& fs : lp.tmpfs) {
    Json t = {{"size", fs.size}};
    Put(t, "mountOptions", fs.mount_options);
    j["tmpfs"][fs.container_path] = t;
  }
  return j;
}

Json ContainerForm(const ContainerDefinition& c, NetworkMode mode) {
  Json j = {{"image", c.image}};
  if (c.cpu != 0) j["cpu"] = c.cpu;
  Put(j, "memory", c.memory);
  Put(j, "memoryReservation", c.memory_reservation);
  if (!c.essential) j["essential"] = false;
  Put(j, "command", c.command);
  Put(j, "entryPoint", c.entry_point);
  Put(j, "workingDirectory", c.working_directory);
  Put(j, "user", c.user);
  // A later duplicate overrides an earlier one, as Docker does with Env.
  for (const auto& kv : c.environment) j["environment"][kv.name] = kv.value;
  for (const auto& s : c.secrets) j["secrets"][s.name] = s.value_from;
  std::vector<std::string> set;
  for (const auto& pm : c.port_mappings) set.push_back(PortText(pm, mode));
  PutSet(j, "portMappings", set);
  if (c.health_check) j["healthCheck"] = HealthCheckForm(*c.health_check);
  set.clear();
  for (const auto& d : c.depends_on) {
    set.push_back(d.container_name + ":" + DependencyConditionName(d.condition));
  }
  PutSet(j, "dependsOn", set);
  set.clear();
  for (const auto& mp : c.mount_points) {
    set.push_back(mp.source_volume + ":" + mp.container_path + (mp.read_only ? ":ro" : ""));
  }
  PutSet(j, "mountPoints", set);
  set.clear();
  for (const auto& vf : c.volumes_from) {
    set.push_back(vf.source_container + (vf.read_only ? ":ro" : ""));
  }
  PutSet(j, "volumesFrom", set);
  PutSet(j, "links", c.links);
  set.clear();
  for (const auto& u : c.ulimits) {
    set.push_back(u.name + "=" + std::to_string(u.soft_limit) + ":" + std::to_string(u.hard_limit));
  }
  PutSet(j, "ulimits", set);
  if (c.log_configuration) {
    Json lc = {{"logDriver", c.log_configuration->log_driver}};
    Put(lc, "options", c.log_configuration->options);
    j["logConfiguration"] = lc;
  }
  Put(j, "dockerLabels", c.docker_labels);
  Put(j, "stopTimeout", c.stop_timeout);
  Put(j, "hostname", c.hostname);
  set.clear();
  for (const auto& eh : c.extra_hosts) set.push_back(eh.hostname + ":" + eh.ip_address);
  PutSet(j, "extraHosts", set);
  if (c.readonly_root_filesystem) j["readonlyRootFilesystem"] = true;
  if (c.privileged) j["privileged"] = true;
  Json lp = LinuxParametersForm(c.linux_parameters);
  if (!lp.empty()) j["linuxParameters"] = lp;
  return j;
}

Json VolumeForm(const Volume& v) {
  Json j = Json::object();
  Put(j, "host", v.host_source_path);
  if (const auto& d = v.docker_volume_configuration) {
    Json dv = {{"scope", d->scope}, {"driver", d->driver}};
    if (d->autoprovision) dv["autoprovision"] = true;
    Put(dv, "driverOpts", d->driver_opts);
    Put(dv, "labels", d->labels);
    j["dockerVolumeConfiguration"] = dv;
  }
  return j;
}

std::string ConstraintText(const PlacementConstraint& pc) {
  return pc.expression.empty() ? pc.type : pc.type + " " + pc.expression;
}

// Everything but the containers.
Json TaskLevelForm(const TaskDefinition& td) {
  Json j = {{"family", td.family}, {"networkMode", NetworkModeName(td.network_mode)}};
  Put(j, "cpu", td.cpu);
  Put(j, "memory", td.memory);
  for (const auto& v : td.volumes) j["volumes"][v.name] = VolumeForm(v);
  std::vector<std::string> set;
  for (const auto& pc : td.placement_constraints) set.push_back(ConstraintText(pc));
  PutSet(j, "placementConstraints", set);
  Put(j, "tags", td.tags);
  return j;
}

}  // namespace

Json TaskDefinitionNormalForm(const TaskDefinition& td) {
  Json j = TaskLevelForm(td);
  j["containerDefinitions"] = Json::object();
  for (const auto& c : td.containers) {
    j["containerDefinitions"][c.name] = ContainerForm(c, td.network_mode);
  }
  return j;
}

Json ContainerNormalForm(const TaskDefinition& td, const ContainerDefinition& container) {
  Json j = TaskLevelForm(td);
  j["containerDefinitions"][container.name] = ContainerForm(container, td.network_mode);
  return j;
}

Json ServiceNormalForm(const Service& s) {
  Json j = {{"schedulingStrategy", SchedulingStrategyName(s.scheduling_strategy)}};
  if (s.scheduling_strategy == SchedulingStrategy::kReplica) j["desiredCount"] = s.desired_count;
  const auto& dc = s.deployment_configuration;
  j["deploymentConfiguration"] = {
      {"minimumHealthyPercent", dc.minimum_healthy_percent},
      {"maximumPercent", dc.maximum_percent},
      {"deploymentCircuitBreaker",
       {{"enable", dc.circuit_breaker.enable}, {"rollback", dc.circuit_breaker.rollback}}}};
  std::vector<std::string> set;
  for (const auto& pc : s.placement_constraints) set.push_back(ConstraintText(pc));
  PutSet(j, "placementConstraints", set);
  // Order matters: strategies apply one after the other.
  std::vector<std::string> strategies;
  for (const auto& ps : s.placement_strategy) {
    strategies.push_back(ps.field.empty() ? ps.type : ps.type + "(" + ps.field + ")");
  }
  Put(j, "placementStrategy", strategies);
  if (s.health_check_grace_period_seconds != 0) {
    j["healthCheckGracePeriodSeconds"] = s.health_check_grace_period_seconds;
  }
  Put(j, "tags", s.tags);
  return j;
}

std::string NormalFormLabel(const Json& form) {
  std::string text = form.dump(-1, ' ', false, Json::error_handler_t::replace);
  return text.size() > kMaxNormalFormLabel ? std::string() : text;
}

std::optional<Json> MergeContainerForms(const std::vector<const std::string*>& labels) {
  std::optional<Json> task;
  for (const std::string* text : labels) {
    if (text == nullptr || text->empty()) return std::nullopt;
    Json one = Json::parse(*text, nullptr, false);
    if (one.is_discarded() || !one.is_object() || !one.contains("containerDefinitions") ||
        !one["containerDefinitions"].is_object()) {
      return std::nullopt;
    }
    if (!task) {
      task = std::move(one);
      continue;
    }
    for (auto& [name, c] : one["containerDefinitions"].items()) {
      (*task)["containerDefinitions"][name] = std::move(c);
    }
  }
  return task;
}

}  // namespace stowage::model
