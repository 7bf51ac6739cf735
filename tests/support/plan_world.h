// PlanWorld: a desired state plus fake engines, for planner tests.
//
// Builds a DesiredState programmatically (hosts, task definitions with
// revisions, services), puts tasks on the fake engines exactly as stowage
// would have created them (apply::BuildTaskSpec, so labels and spec hashes are
// the real ones), reads them back through TakeSnapshot + BuildObservedState,
// plans with MakePlan and applies plans with the real applier (no health
// waits, manual clock). Unlabelled containers can be added to check they are
// never touched.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "apply/applier.h"
#include "model/desired_state.h"
#include "observe/observed.h"
#include "observe/snapshot.h"
#include "plan/planner.h"
#include "runtime/fake/fake_runtime.h"

namespace stowage::testing {

inline constexpr const char* kWorldImage = "stowage/busybox:1";

class PlanWorld {
 public:
  PlanWorld();

  model::Host& AddHost(const std::string& name, int cpu = 4096, int memory = 8192);
  // A one-container definition; the revision is ComputeRevision's.
  model::TaskDefinition& AddTaskDefinition(const std::string& family, int cpu = 256,
                                           int memory = 256, int host_port = 0);
  model::Service& AddService(const std::string& name, const std::string& family, int desired);
  // Call after editing a task definition: recomputes every revision.
  void Revise();

  // A task of `service` on `host` as stowage creates it, from `td` (default: the
  // service's current definition). Returns the task id.
  std::string SeedTask(const std::string& service, const std::string& host,
                       const std::string& task_id, const model::TaskDefinition* td = nullptr,
                       runtime::ContainerState state = runtime::ContainerState::kRunning);
  // A container without stowage labels (started by hand).
  std::string SeedUnlabelled(const std::string& host, const std::string& name);

  runtime::fake::FakeEngine& Engine(const std::string& host) { return *factory_.Engine(host); }
  runtime::fake::FakeRuntimeFactory& factory() { return factory_; }

  observe::ObservedState Observe();
  plan::Plan Plan(const plan::PlanOptions& options = {});
  // Applies `p` with the real applier (no waits); returns the exit code.
  int Apply(const plan::Plan& p);

  model::DesiredState desired;

 private:
  runtime::fake::FakeRuntimeFactory factory_;
};

// "<service> <action> <host> <reason>", one line per action, in plan order.
std::vector<std::string> ActionLines(const plan::Plan& p);

}  // namespace stowage::testing
