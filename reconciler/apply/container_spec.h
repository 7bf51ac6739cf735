// Container specs: a task definition, made concrete for one task on one host.
//
// BuildTaskSpec turns a model::TaskDefinition plus the identity of one task
// (cluster, host, service, task id) into what the engine is asked to create:
// the task's named volumes and one runtime::ContainerSpec per container, in
// the order they must be created and started (dependsOn, links and
// volumesFrom first). Names are <service>.<container>.<task-id>; links and
// volumesFrom point at the task's real container names; task-scoped volumes
// are named per task. Every container carries the stowage labels plus a spec
// hash label computed before secrets are resolved, so the hash never depends
// on (nor reveals) a secret's value. Secret values are put into the
// environment here, through a SecretResolver; they are never logged. So are
// the registry credentials of each container's pull (outside the hash).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/task_definition.h"
#include "runtime/runtime.h"

namespace stowage::apply {

struct TaskIdentity {
  std::string cluster;
  std::string host;  // registered host name
  std::string service;
  std::string task_id;
  // run-task: labelled io.stowage.standalone=true; `service` is then
  // "run-task:<family>" and container names start with the family instead.
  bool standalone = false;
  // model::NormalFormLabel(ServiceNormalForm(service)), recorded on every
  // container as labels::kServiceDefinition; empty: not recorded (run-task).
  std::string service_definition{};
  // The source revision deployed (io.stowage.commit); not in the spec hash.
  std::string commit{};
};

// "run-task:<family>": the service label of standalone tasks.
std::string StandaloneService(const std::string& family);

// Resolves a secret's valueFrom to its value (secrets::ResolvedSecrets::
// Resolver() serves the values looked up before the plan). Errors name the
// reference, never a value.
using SecretResolver = std::function<Result<std::string>(const std::string& value_from)>;

// The resolver when nothing was resolved: every lookup fails.
Result<std::string> NoSecrets(const std::string& value_from);

// The credentials of the pull of `c`'s image (repositoryCredentials, through
// `resolve`); nullopt when it has none (Docker's config serves the pull).
Result<std::optional<runtime::PullCredentials>> PullCredentialsFor(
    const model::ContainerDefinition& c, const SecretResolver& resolve);

struct ContainerPlan {
  std::string name;  // the container's name inside the task
  bool essential = true;
  int stop_timeout_seconds = 30;  // ECS default when unset
  const model::ContainerDefinition* definition = nullptr;
  runtime::ContainerSpec spec;
};

struct TaskSpec {
  std::vector<runtime::VolumeSpec> volumes;  // to ensure before any container
  std::vector<ContainerPlan> containers;     // in start order; stop in reverse
  const ContainerPlan* Find(const std::string& name) const;
};

// The order containers must start in: every dependsOn, link and volumesFrom
// target before the container that names it; otherwise definition order.
// Fails on a cycle or a reference to a missing container.
Result<std::vector<const model::ContainerDefinition*>> StartOrder(const model::TaskDefinition& td);

Result<TaskSpec> BuildTaskSpec(const model::TaskDefinition& td, const TaskIdentity& id,
                               const SecretResolver& resolve = NoSecrets);

// Name of a task-scoped volume: <service>.<volume>.<task-id>.
std::string TaskVolumeName(const TaskIdentity& id, const std::string& volume);

}  // namespace stowage::apply
