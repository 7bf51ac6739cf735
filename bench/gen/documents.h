// Documents: the decoded model written back as ECS-style JSON, and JSON as YAML.
//
// The inverse of the loader for what the generators produce: a task
// definition as `register-task-definition` JSON, a service as `create-service`
// JSON, the cluster as its `kind: Cluster` document. Task-level cpu and memory
// are written as strings, as ECS users often do; everything else with ECS's
// field names and types. ToYaml renders any of these as a YAML document,
// quoting strings that YAML would otherwise read as numbers or booleans.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/cluster.h"
#include "model/service.h"
#include "model/task_definition.h"

namespace stowage::bench {

nlohmann::ordered_json TaskDefinitionJson(const model::TaskDefinition& td);
nlohmann::ordered_json ServiceJson(const model::Service& service);
nlohmann::ordered_json ClusterJson(const model::Cluster& cluster);

// A block-style YAML document (no leading "---"), ending with a newline.
std::string ToYaml(const nlohmann::ordered_json& doc);

}  // namespace stowage::bench
