// Definition diff: what changed, field by field, between the definition that
// runs and the one in the source, Terraform-style.
//
// Both sides are normal forms (model/normal_form.h): what the running tasks'
// containers record in their labels, and what the source says now. Objects are
// walked key by key (an added or removed object is listed leaf by leaf), the
// set-like lists (portMappings, links, mountPoints, placementConstraints, ...)
// member by member, anything else compared as a whole value. Everything below
// `secrets` is sensitive: listed without values. Docker-side drift is not
// here: the labels record what stowage created, so `docker update` never shows
// as a change of the commit (plan/drift.h reports it, ServicePlan::drift).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/service.h"
#include "model/task_definition.h"
#include "observe/observed.h"
#include "plan/plan.h"

namespace stowage::plan {

// The differences from `before` to `after` (null: absent), in key order.
// Task-definition fields that a service has too (placementConstraints, tags)
// are prefixed `taskDefinition.` when `task_definition` is set.
std::vector<FieldChange> DiffNormalForms(const nlohmann::json& before, const nlohmann::json& after,
                                         bool task_definition = false);

// Fills sp.compared_with and sp.changes (service-level first) from
// the service's observed tasks (those of the deployment's old revision, else
// any; the service settings of the most recently created task).
void DescribeChanges(ServicePlan& sp, const model::Service& service,
                     const model::TaskDefinition& td,
                     const std::vector<const observe::ObservedTask*>& tasks);

}  // namespace stowage::plan
