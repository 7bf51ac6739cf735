// Plan: what stowage intends to do, as a value (Terraform-style "plan as data").
//
// The planner (plan/planner.h) computes a Plan from DesiredState x
// ObservedState x PlanOptions; the JSON form (plan/plan_json.h, versioned,
// documented in man/stowage-plan.5) is what `plan --json` and `plan --out`
// write, what the text renderer reads, and what `apply PLANFILE` executes.
// Deterministic: the same inputs give a byte-identical JSON plan.
//
// Per service, the actions are grouped into ordered steps. The applier runs
// the steps of a service in order: in each step it starts the new tasks,
// waits until they are healthy (health gate), then stops the tasks the step
// stops. A plain scale-up is one step; a rolling deployment is several,
// each within minimumHealthyPercent / maximumPercent. When the last step of
// a service with a deployment is done, the applier removes the containers of
// the tasks it stopped (they were kept only so a rollback could restart them).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace stowage::plan {

// 2: the plan records its source (`source`), so `apply PLANFILE` needs no --source.
// 3: per service, the field-level `changes` against what runs (`compared_with`)
//    and the `drift` (changed outside stowage).
// 4: the release `order`: services in waves, and each dependsOn gate (waits or not, why).
// 5: `targets`: per target group, the targets registered and deregistered.
// 6: `source.template_values`: a digest per template variable the documents used.
inline constexpr int kPlanFormatVersion = 6;

enum class ActionType {
  kStart,   // create and start a new task (all its containers) on `host`
  kStop,    // stop an existing task's containers (kept, for rollback, until the deployment ends)
  kRemove,  // remove an existing task's containers (already stopped, or being pruned)
};

struct TaskAction {
  ActionType type = ActionType::kStart;
  std::string host;
  std::string task_id;   // new id (kStart) or the existing task's id
  std::string revision;  // the task definition revision of this task
  // Why, in words the text output prints: "scale up 2 -> 3", "revision change",
  // "exited (code 1)", "unhealthy", "container missing", "drift: labels changed",
  // "host draining", "service removed (prune)", "scale in 3 -> 2".
  std::string reason;
  std::string replaces;  // kStart: task id this one takes the place of, if any
};

struct DeploymentStep {
  std::vector<TaskAction> actions;  // starts first, then stops/removes
  // Bounds this step keeps, counted in tasks of the service.
  int min_healthy = 0;
  int max_running = 0;
};

// A task that could not be placed, with one reason per host ("web-2: memory 512 > 300 free").
struct BlockedTask {
  int count = 0;  // identical tasks that could not be placed for the same reasons
  std::vector<std::string> reasons;
};

struct Deployment {
  std::string from_revision;
  std::string to_revision;
  int min_healthy = 0;  // ceil(desired * minimumHealthyPercent / 100)
  int max_running = 0;  // floor(desired * maximumPercent / 100)
  bool circuit_breaker = false;
  int failure_threshold = 0;  // failed new tasks that trip the breaker
  bool rollback = false;
};

// One field that differs between the definition that runs and the source's
// (plan/definition_diff.h). `path` is Terraform-style:
// containerDefinitions["web"].environment.LOG_LEVEL, portMappings[8080/tcp],
// desiredCount. A sensitive change (a secret) carries no values at all.
enum class ChangeOp { kAdd, kChange, kRemove };

struct FieldChange {
  ChangeOp op = ChangeOp::kChange;
  std::string path;
  nlohmann::json before;  // null for kAdd, for a set member and when sensitive
  nlohmann::json after;   // null for kRemove, for a set member and when sensitive
  bool sensitive = false;
  bool operator==(const FieldChange&) const = default;
};

// What the changes were computed against.
enum class ComparedWith {
  kRunning,     // the definitions recorded on the running tasks' containers
  kNothing,     // no task of the service runs: everything is new
  kUnrecorded,  // tasks run, but without the labels (started by an older stowage)
};

// A task changed outside stowage (`docker update`, `docker rename`, ...): what
// plan/drift.h found. Listed apart from the commit's changes.
struct DriftNote {
  std::string host;
  std::string task_id;
  std::string what;  // "app memory 128 MiB (defined 64 MiB)"
  bool operator==(const DriftNote&) const = default;
};

struct ServicePlan {
  std::string service;
  std::string family;
  std::string revision;             // target revision ("" for a service being pruned)
  std::string scheduling_strategy;  // "REPLICA" | "DAEMON"
  int desired = 0;
  int running = 0;  // tasks of any revision running now
  std::optional<Deployment> deployment;
  std::vector<DeploymentStep> steps;
  std::vector<BlockedTask> blocked;
  ComparedWith compared_with = ComparedWith::kRunning;
  std::vector<FieldChange> changes;  // service-level first, then the task definition's
  std::vector<DriftNote> drift;
  bool HasChanges() const { return !steps.empty(); }
};

// The release order (plan/order.h): in which order the services of a plan
// deploy, from their dependsOn. A gate is one dependsOn entry of a planned
// service: it waits when both sides deploy in this release (a one-shot task:
// when its service deploys); otherwise `why` says why not.
enum class GateKind { kService, kTask };

struct DependencyGate {
  std::string service;  // the dependent, a service of the plan
  GateKind kind = GateKind::kService;
  std::string on;         // the service waited for, or the one-shot task's family
  std::string condition;  // STARTED | HEALTHY | COMPLETE | SUCCESS
  std::string revision;   // kTask: the revision of the family that runs
  bool waits = false;
  std::string why;  // when it does not wait: "db has nothing to deploy", "web only scales"
  bool operator==(const DependencyGate&) const = default;
};

struct ReleaseOrder {
  // Wave k holds the planned services whose deepest waiting dependency is in
  // wave k-1 (wave 0: none); each wave in service-name order.
  std::vector<std::vector<std::string>> waves;
  std::vector<DependencyGate> gates;  // by service, then as written
  bool operator==(const ReleaseOrder&) const = default;
};

struct PlanSummary {
  int to_start = 0;    // starts that replace nothing
  int to_stop = 0;     // stops/removes not paired with a start
  int to_replace = 0;  // starts that replace a task
  int blocked_services = 0;
};

// Where the desired state of a plan was read from: a directory (absolute
// path, plus --path inside it) or a git repository at a ref (plus --path).
struct PlanSource {
  std::string dir;   // absolute directory; empty for git
  std::string repo;  // repository URL; empty for a directory
  std::string ref;   // as given (empty: the remote's default branch)
  std::string path;  // --path inside the directory or repository
  // The template variables the documents used: name -> digest of the value
  // (model::DesiredState::template_values); never the values.
  std::map<std::string, std::string> template_values;
  bool operator==(const PlanSource&) const = default;
};

// One target a plan registers or deregisters: a task's host address and
// published port (address "" and port 0 for a task the plan starts: known once
// it runs), and why.
struct TargetMove {
  std::string service;  // "" for a server stowage did not add
  std::string task_id;  // likewise ""
  std::string name;     // the balancer's server name (traffic::TargetName)
  std::string host;     // the registered host; "" when unknown
  std::string address;
  int port = 0;
  std::string reason;  // "new task", "scale in 3 -> 2", "not a running task", ...
  bool operator==(const TargetMove&) const = default;
};

// What a plan does to one target group (plan/target_changes.h).
struct TargetGroupPlan {
  std::string balancer;
  std::string group;
  std::string backend;
  std::vector<TargetMove> register_targets;
  std::vector<TargetMove> deregister_targets;
  // Why the balancer's pool could not be read ("" when it was): the moves then
  // follow from the plan's starts and stops alone.
  std::string error;
  bool operator==(const TargetGroupPlan&) const = default;
};

struct Plan {
  int format_version = kPlanFormatVersion;
  std::string cluster;
  PlanSource source;
  std::string source_revision;
  std::string state_fingerprint;  // ObservedState::Fingerprint() the plan was made against
  // (host, ObservedState::HostFingerprint) in cluster order: lets `apply PLANFILE`
  // name the host that changed ("plan is stale: host web-2 changed ...").
  std::vector<std::pair<std::string, std::string>> host_fingerprints;
  std::vector<std::string> warnings;  // unreachable hosts, skipped services ...
  // Why this plan must not be applied as is ("would stop 6 of 10 tasks; pass
  // --allow-mass-delete"). `plan` shows them and exits 1; `apply` refuses.
  std::vector<std::string> errors;
  std::vector<ServicePlan>
      services;  // sorted by service name; only services with changes or blocks
  ReleaseOrder order;
  // Target groups the plan registers or deregisters targets in, by (balancer, group).
  std::vector<TargetGroupPlan> targets;
  PlanSummary summary;
  bool HasChanges() const;
  // Targets to register or deregister (also when no task changes: balancer drift).
  bool HasTargetChanges() const;
};

const char* ActionTypeName(ActionType t);
const char* ChangeOpName(ChangeOp op);  // "add" | "change" | "remove"
std::optional<ChangeOp> ParseChangeOp(const std::string& name);
const char* GateKindName(GateKind k);  // "service" | "task"
std::optional<GateKind> ParseGateKind(const std::string& name);
const char* ComparedWithName(ComparedWith c);  // "running" | "nothing" | "unrecorded"
std::optional<ComparedWith> ParseComparedWith(const std::string& name);
// kStart for "start", ... ; nullopt for anything else.
std::optional<ActionType> ParseActionType(const std::string& name);

// The summary the services' steps and blocks add up to (Plan::summary is this,
// filled by the planner and checked when a plan file is read).
PlanSummary ComputeSummary(const std::vector<ServicePlan>& services);

}  // namespace stowage::plan
