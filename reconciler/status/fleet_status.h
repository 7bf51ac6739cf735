// The fleet's status: per service and per host, what runs (pure).
//
// BuildStatus computes, from the desired state and the observed state, per
// service the revision the source wants and the revisions that run, desired,
// running, healthy and pending task counts and the deployment state; per host
// its tasks. This is the one status model: `stowage status`, the watcher's
// /status and /metrics all read it; render/status.h only renders it (text,
// JSON). Running and healthy have one definition each (CountsRunning,
// CountsHealthy below).
//
// With an invalid source, `stowage status` still shows what runs: it passes a
// desired state holding only the cluster, and says why in `source_error`;
// every service is then "not in the source" and has no desired count.
//
// Deployment state, from what runs: "completed" (every active task at the
// wanted revision, as many as desired), "in progress" (tasks of several
// revisions, or fewer than desired), "failed" (the wanted revision is not
// running but an older one is: a rollback or a failed deployment), "stopped"
// (nothing runs).
//
// With the targets the load balancers hold (`listed`, per target group), a
// task of a bound service shows its targets: address, port and state
// ("ready", "drain", "maint", or "absent" when the balancer does not have
// it), and each target group its healthy targets (what /metrics exports).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "observe/observed.h"
#include "targets/targets.h"

namespace stowage::status {

// A task runs when it holds its host's resources and is not pending (a
// container created or restarting but none running yet): running, healthy,
// unhealthy or incomplete tasks run; exited and pending ones do not.
bool CountsRunning(const observe::ObservedTask& task);
// A running task is healthy when its containers report healthy, or when none
// of them has a health check and it runs.
bool CountsHealthy(const observe::ObservedTask& task);

struct ServiceStatus {
  std::string service;
  bool in_source = false;  // the source defines it (else: left on the hosts, or source invalid)
  std::string revision;    // wanted ("" for a service not in the source)
  // Revisions of the running tasks, the most common first (ties by name):
  // what runs, e.g. the old revision after a rollback.
  std::vector<std::string> running_revisions;
  std::string scheduling_strategy;
  int desired = 0;
  int running = 0;  // CountsRunning, any revision
  int healthy = 0;  // CountsHealthy, any revision
  int pending = 0;  // created, not running yet
  std::string deployment;
  // Old tasks an apply retired and handed to their engines to stop
  // (observe/observed.h RetiredContainer), counted per task: `stopping` still
  // run (and hold their host ports) until `stopping_deadline` at the latest,
  // the unix second by which their engines kill them; `retired_exited` have
  // exited and wait for the next apply to remove them. No task counts above.
  int stopping = 0;
  std::int64_t stopping_deadline = 0;  // the latest deadline of the stopping ones, 0: none
  int retired_exited = 0;
};

struct TaskTarget {
  std::string group;  // target group
  std::string address;
  int port = 0;
  std::string state;   // ready | drain | maint | absent
  std::string health;  // up | down | unknown
};

struct HostTask {
  std::string service;
  std::string task_id;
  std::string revision;
  std::string status;  // observe::TaskStatusName
  // The image IDs its containers run ("sha256:...", container order; "" where
  // unknown): tasks of one revision on different IDs mean a tag moved.
  std::vector<std::string> image_ids;
  std::vector<TaskTarget> targets;
};

struct TargetGroupStatus {
  std::string balancer;
  std::string group;
  std::string backend;
  bool reachable = false;  // the balancer answered
  std::string error;
  int targets = 0;
  int healthy = 0;  // ready and passing the balancer's check (or unchecked)
};

// An old task on a host whose containers an apply retired
// (observe::RetiredContainer), one per task.
struct RetiredTask {
  std::string service;
  std::string task_id;
  bool running = false;       // a container still runs: stopping
  std::int64_t deadline = 0;  // unix seconds, the latest of its containers: killed by then
};

struct HostStatus {
  std::string host;
  bool reachable = false;
  std::string error;
  std::vector<HostTask> tasks;
  std::vector<RetiredTask> retired;  // by (service, task)
  std::string state = "active";      // model::HostStateName: "active" or "draining"
  // CPU units and MiB, known when reachable: the whole host (reserved included),
  // what the cluster file keeps for the host itself, what managed tasks hold.
  model::Resources capacity;
  model::Resources reserved;
  model::Resources used;
};

struct FleetStatus {
  std::string cluster;
  std::string source_error;                      // "" when the source is valid
  std::vector<ServiceStatus> services;           // by name
  std::vector<HostStatus> hosts;                 // cluster order
  std::vector<TargetGroupStatus> target_groups;  // cluster file order (with a listing only)
};

FleetStatus BuildStatus(const model::DesiredState& desired, const observe::ObservedState& observed,
                        const targets::TargetListing* listed = nullptr);

}  // namespace stowage::status
