// TaskOps: creating, gating, stopping, restarting and removing one task.
//
// The steps of the applier are made of these operations on one host. They
// are idempotent, so an apply that crashed half-way can be run again: a
// container that already exists under the task's name with the same spec
// hash is adopted (started if needed), one with another spec is replaced,
// and a name held by a container without stowage's cluster label is an error
// (stowage never touches such a container).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "apply/clock.h"
#include "apply/container_spec.h"
#include "apply/host_session.h"

namespace stowage::apply {

struct GateOptions {
  std::chrono::milliseconds settle{10000};    // running this long counts as healthy
  std::chrono::milliseconds poll{500};        // how often state is read
  std::chrono::milliseconds timeout{600000};  // give up on a gate or dependency
  std::chrono::milliseconds grace{0};         // healthCheckGracePeriodSeconds
  // How long a handed-off stop waits for the container to stop before
  // leaving it to the engine (StopMode::kHandOff): a task that honours
  // SIGTERM, or has a stop timeout below this, is still stopped and removed
  // by the apply itself.
  std::chrono::milliseconds hand_off_wait{3000};
};

// How TaskOps::Stop ends.
enum class StopMode {
  kWait,     // once every container of the task has stopped
  kHandOff,  // the last container's stop is handed to the engine (Runtime::BeginStop):
             // returns once it stopped within GateOptions::hand_off_wait or the
             // engine has the request; the engine kills it after its stop timeout
};

class TaskOps {
 public:
  TaskOps(HostSession& host, Clock& clock, const GateOptions& options);

  // Ensures images and volumes, then creates and starts the containers in
  // order, honouring each dependsOn condition before starting a container.
  Status StartNew(const TaskSpec& spec);
  // Waits until every essential container runs and is healthy (Docker health
  // check) or, without one, has run for the settle period. An essential
  // container that exits, goes missing or (after the grace period) turns
  // unhealthy fails the gate.
  Status WaitHealthy(const std::string& task_id);
  // Stops the task's containers in reverse start order (kept, not removed).
  // kHandOff first retires a task that runs (every container renamed,
  // model/labels.h RetiredName: observed state no longer counts it).
  // `still_stopping`, when given, tells whether a handed-off stop was left
  // to the engine (the container had not stopped within the wait).
  Status Stop(const std::string& task_id, StopMode mode = StopMode::kWait,
              bool* still_stopping = nullptr);
  // Starts a stopped task's containers again, in start order: a retired one
  // is first waited for (a handed-off stop runs out) and renamed back.
  Status Restart(const std::string& task_id);
  // Waits until every container of the task has exited; their exit codes by
  // container name (a standalone task's outcome).
  // Gives up (a timeout) after `limit`, when set.
  Result<std::map<std::string, int>> WaitExited(
      const std::string& task_id, std::optional<std::chrono::milliseconds> limit = std::nullopt);
  // Removes the task's containers (force), then its task-scoped volumes.
  Status Remove(const std::string& task_id);

 private:
  Status Retire(const runtime::ContainerSummary& c, int stop_timeout);
  // Waits until no retired container of the task still runs (at most its
  // stop timeout and 30 s).
  Status WaitRetiredStopped(const std::string& task_id);
  Result<std::string> CreateOrAdopt(const runtime::ContainerSpec& spec, bool* running);
  Status WaitDependency(const std::string& task_id, const std::string& container,
                        const model::ContainerDependency& dep);
  Result<std::vector<runtime::ContainerSummary>> Ordered(const std::string& task_id);

  HostSession& host_;
  Clock& clock_;
  GateOptions options_;
};

}  // namespace stowage::apply
