// The fleet's status: per service and per host, what runs (pure).
//
// BuildStatus computes, from the desired state and the observed state, per
// service the revision the source wants, desired, running, healthy and
// pending task counts and the deployment state; per host its tasks. This is
// the one status model: `stowage status`, the watcher's /status and /metrics
// all read it; render/status.h only renders it (text, JSON).
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

#include <string>
#include <vector>

#include "model/desired_state.h"
#include "observe/observed.h"
#include "targets/targets.h"

namespace stowage::status {

struct ServiceStatus {
  std::string service;
  std::string revision;  // wanted ("" for a service no longer in the source)
  std::string scheduling_strategy;
  int desired = 0;
  int running = 0;  // active tasks, any revision
  int healthy = 0;  // healthy, or running without a health check
  int pending = 0;  // created, not running yet
  std::string deployment;
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

struct HostStatus {
  std::string host;
  bool reachable = false;
  std::string error;
  std::vector<HostTask> tasks;
  std::string state = "active";  // model::HostStateName: "active" or "draining"
  // CPU units and MiB, known when reachable: the whole host (reserved included),
  // what the cluster file keeps for the host itself, what managed tasks hold.
  model::Resources capacity;
  model::Resources reserved;
  model::Resources used;
};

struct FleetStatus {
  std::string cluster;
  std::vector<ServiceStatus> services;           // by name
  std::vector<HostStatus> hosts;                 // cluster order
  std::vector<TargetGroupStatus> target_groups;  // cluster file order (with a listing only)
};

FleetStatus BuildStatus(const model::DesiredState& desired, const observe::ObservedState& observed,
                        const targets::TargetListing* listed = nullptr);

}  // namespace stowage::status
