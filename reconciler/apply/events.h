// Apply events: what the applier reports while it works.
//
// The applier calls Observer::OnEvent for every step, task and service
// transition, one call at a time (serialised by the applier), so observers
// need no locking. The CLI renders them as JSON lines (--json), a live view
// on a terminal, or plain lines; the watcher logs them. Messages never
// contain secret values.
#pragma once

#include <string>

namespace stowage::apply {

enum class EventType {
  kImagePulling,    // host, message: the image (pulled before anything is stopped)
  kImagePulled,     // host, message: the image, now present on the host
  kStepStarted,     // service, step (1-based), steps
  kTaskStarting,    // a new task is being created and started
  kTaskHealthy,     // a new (or restarted) task passed its health gate
  kTaskFailed,      // a new task failed: message says why
  kTaskStopped,     // an old task was stopped (kept until the deployment completes)
  kTaskRemoved,     // a task's containers were removed
  kTaskRestarted,   // rollback: a stopped old task was started again
  kCircuitBreaker,  // the circuit breaker tripped
  kServiceDone,     // message: the outcome ("converged", "rolled back", ...)
  kTaskRegistered,  // a healthy task's targets are registered and ready (takes traffic)
  kTaskDraining,    // a task's targets are drained before it stops (deregistration delay)
  kDependencyWait,  // message: what the service waits for before it deploys ("db HEALTHY")
  kOneShotStarted,  // a one-shot task (dependsOn taskDefinition) started; message: its family
  kOneShotExited,   // it ended; message: "migrate succeeded" / "migrate: app exited 1"
  kTaskStopping,    // an old task's stop was handed to its engine and it still runs
                    // (retired; the engine kills it after its stopTimeout)
};

const char* EventTypeName(EventType t);

struct ApplyEvent {
  EventType type = EventType::kStepStarted;
  std::string service;
  std::string host;
  std::string task_id;
  int step = 0;
  int steps = 0;
  std::string message;
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void OnEvent(const ApplyEvent& event) = 0;
};

}  // namespace stowage::apply
