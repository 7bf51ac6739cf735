#include "gen/documents.h"

#include <yaml-cpp/yaml.h>

#include <cctype>

namespace stowage::bench {
namespace {

using json = nlohmann::ordered_json;

json KeyValues(const std::vector<model::KeyValue>& items) {
  json out = json::array();
  for (const auto& kv : items) out.push_back({{"name", kv.name}, {"value", kv.value}});
  return out;
}

json Tags(const std::map<std::string, std::string>& tags) {
  json out = json::array();
  for (const auto& [k, v] : tags) out.push_back({{"key", k}, {"value", v}});
  return out;
}

json PortMappings(const std::vector<model::PortMapping>& ports) {
  json out = json::array();
  for (const auto& p : ports) {
    json j = {{"containerPort", p.container_port}};
    if (p.host_port != 0) j["hostPort"] = p.host_port;
    if (p.protocol != "tcp") j["protocol"] = p.protocol;
    out.push_back(std::move(j));
  }
  return out;
}

json Container(const model::ContainerDefinition& c) {
  json j = {{"name", c.name}, {"image", c.image}};
  if (c.cpu) j["cpu"] = c.cpu;
  if (c.memory) j["memory"] = *c.memory;
  if (c.memory_reservation) j["memoryReservation"] = *c.memory_reservation;
  if (!c.essential) j["essential"] = false;
  if (!c.command.empty()) j["command"] = c.command;
  if (!c.environment.empty()) j["environment"] = KeyValues(c.environment);
  if (!c.port_mappings.empty()) j["portMappings"] = PortMappings(c.port_mappings);
  if (c.health_check) {
    const auto& h = *c.health_check;
    j["healthCheck"] = {{"command", h.command},
                        {"interval", h.interval},
                        {"timeout", h.timeout},
                        {"retries", h.retries},
                        {"startPeriod", h.start_period}};
  }
  if (!c.depends_on.empty()) {
    json deps = json::array();
    for (const auto& d : c.depends_on) {
      deps.push_back({{"containerName", d.container_name},
                      {"condition", model::DependencyConditionName(d.condition)}});
    }
    j["dependsOn"] = std::move(deps);
  }
  if (!c.docker_labels.empty()) j["dockerLabels"] = c.docker_labels;
  if (c.log_configuration) {
    j["logConfiguration"] = {{"logDriver", c.log_configuration->log_driver},
                             {"options", c.log_configuration->options}};
  }
  if (c.stop_timeout) j["stopTimeout"] = *c.stop_timeout;
  return j;
}

json Constraints(const std::vector<model::PlacementConstraint>& constraints) {
  json out = json::array();
  for (const auto& pc : constraints) {
    json j = {{"type", pc.type}};
    if (!pc.expression.empty()) j["expression"] = pc.expression;
    out.push_back(std::move(j));
  }
  return out;
}

// Strings YAML would read as something else (numbers, booleans, null) or not at all.
bool NeedsQuoting(const std::string& s) {
  if (s.empty()) return true;
  static const char* kWords[] = {"true",  "false", "yes", "no", "on",  "off",  "null", "~", "True",
                                 "False", "Yes",   "No",  "On", "Off", "Null", "y",    "n"};
  for (const char* w : kWords) {
    if (s == w) return true;
  }
  const char first = s.front();
  return std::isdigit(static_cast<unsigned char>(first)) || first == '-' || first == '.' ||
         first == '+';
}

void Emit(YAML::Emitter& out, const json& j) {
  switch (j.type()) {
    case json::value_t::object:
      out << YAML::BeginMap;
      for (const auto& [k, v] : j.items()) {
        out << YAML::Key << k << YAML::Value;
        Emit(out, v);
      }
      out << YAML::EndMap;
      break;
    case json::value_t::array:
      out << YAML::BeginSeq;
      for (const auto& v : j) Emit(out, v);
      out << YAML::EndSeq;
      break;
    case json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      if (NeedsQuoting(s)) out << YAML::DoubleQuoted;
      out << s;
      break;
    }
    case json::value_t::boolean:
      out << j.get<bool>();
      break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      out << j.get<long long>();
      break;
    case json::value_t::number_float:
      out << j.get<double>();
      break;
    default:
      out << YAML::Null;
      break;
  }
}

}  // namespace

json TaskDefinitionJson(const model::TaskDefinition& td) {
  json j = {{"family", td.family}};
  if (td.cpu) j["cpu"] = std::to_string(*td.cpu);
  if (td.memory) j["memory"] = std::to_string(*td.memory);
  if (td.network_mode != model::NetworkMode::kBridge) {
    j["networkMode"] = model::NetworkModeName(td.network_mode);
  }
  json containers = json::array();
  for (const auto& c : td.containers) containers.push_back(Container(c));
  j["containerDefinitions"] = std::move(containers);
  if (!td.placement_constraints.empty()) {
    j["placementConstraints"] = Constraints(td.placement_constraints);
  }
  if (!td.tags.empty()) j["tags"] = Tags(td.tags);
  return j;
}

json ServiceJson(const model::Service& s) {
  std::string td = s.task_definition;
  if (s.task_revision) td += ":" + std::to_string(*s.task_revision);
  json j = {{"serviceName", s.name}, {"taskDefinition", td}};
  if (s.scheduling_strategy == model::SchedulingStrategy::kDaemon) {
    j["schedulingStrategy"] = "DAEMON";
  } else {
    j["desiredCount"] = s.desired_count;
  }
  const auto& dc = s.deployment_configuration;
  const model::DeploymentConfiguration defaults;
  if (dc.minimum_healthy_percent != defaults.minimum_healthy_percent ||
      dc.maximum_percent != defaults.maximum_percent || dc.circuit_breaker.enable) {
    j["deploymentConfiguration"] = {{"minimumHealthyPercent", dc.minimum_healthy_percent},
                                    {"maximumPercent", dc.maximum_percent}};
    if (dc.circuit_breaker.enable) {
      j["deploymentConfiguration"]["deploymentCircuitBreaker"] = {
          {"enable", true}, {"rollback", dc.circuit_breaker.rollback}};
    }
  }
  if (!s.placement_constraints.empty()) {
    j["placementConstraints"] = Constraints(s.placement_constraints);
  }
  if (!s.placement_strategy.empty()) {
    json strategies = json::array();
    for (const auto& ps : s.placement_strategy) {
      json p = {{"type", ps.type}};
      if (!ps.field.empty()) p["field"] = ps.field;
      strategies.push_back(std::move(p));
    }
    j["placementStrategy"] = std::move(strategies);
  }
  if (s.health_check_grace_period_seconds) {
    j["healthCheckGracePeriodSeconds"] = s.health_check_grace_period_seconds;
  }
  if (!s.tags.empty()) j["tags"] = Tags(s.tags);
  return j;
}

json ClusterJson(const model::Cluster& c) {
  json hosts = json::array();
  for (const auto& h : c.hosts) {
    json j = {{"name", h.name}, {"endpoint", h.endpoint}};
    if (!h.attributes.empty()) j["attributes"] = h.attributes;
    if (h.reserved.cpu || h.reserved.memory) {
      j["reserved"] = {{"cpu", h.reserved.cpu}, {"memory", h.reserved.memory}};
    }
    if (h.capacity) j["capacity"] = {{"cpu", h.capacity->cpu}, {"memory", h.capacity->memory}};
    if (h.state == model::HostState::kDraining) j["state"] = "draining";
    hosts.push_back(std::move(j));
  }
  json j = {{"kind", "Cluster"}, {"name", c.name}};
  if (c.prune) j["prune"] = true;
  j["hosts"] = std::move(hosts);
  return j;
}

std::string ToYaml(const json& doc) {
  YAML::Emitter out;
  Emit(out, doc);
  return std::string(out.c_str()) + "\n";
}

}  // namespace stowage::bench
