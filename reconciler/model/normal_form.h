// Normal form: a task definition or a service as a compact, canonical JSON
// document, the form recorded on containers so a plan can diff what runs
// against what the source says (plan/definition_diff.h).
//
// ECS field names; defaults and empty fields left out; collections keyed so
// that their order carries no meaning (containerDefinitions and volumes by
// name, environment, secrets, dockerLabels as name -> value) or written as
// sorted sets of short strings (portMappings "80:8080/tcp", links, capAdd,
// mountPoints, ...). Objects are nlohmann::json (std::map), so keys are sorted
// and the text is the same for the same content. Secrets appear as their
// reference (valueFrom), never as a value: the value is only resolved at
// apply time (apply/container_spec.h).
//
// The container label (labels::kDefinition) carries the task-level fields
// with only that container in containerDefinitions; MergeContainerForms puts
// the containers of one task back together. The service label
// (labels::kServiceDefinition) carries ServiceNormalForm.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/service.h"
#include "model/task_definition.h"

namespace stowage::model {

nlohmann::json TaskDefinitionNormalForm(const TaskDefinition& td);
// TaskDefinitionNormalForm with containerDefinitions holding only `container`.
nlohmann::json ContainerNormalForm(const TaskDefinition& td, const ContainerDefinition& container);
nlohmann::json ServiceNormalForm(const Service& service);

// Label values longer than this are not recorded (the plan then says the
// running definition is unknown): a few hundred KB is fine for Docker, but
// every listing of the host carries them.
inline constexpr std::size_t kMaxNormalFormLabel = 64 * 1024;

// Compact JSON text of a normal form, or "" when longer than kMaxNormalFormLabel.
std::string NormalFormLabel(const nlohmann::json& form);

// The task's normal form from the labels of its containers (each a
// ContainerNormalForm text); nullopt when one is missing or not valid JSON.
std::optional<nlohmann::json> MergeContainerForms(const std::vector<const std::string*>& labels);

}  // namespace stowage::model
