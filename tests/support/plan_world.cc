#include "support/plan_world.h"

#include "apply/clock.h"
#include "apply/container_spec.h"
#include "model/normal_form.h"
#include "model/revision.h"
#include "observe/snapshot.h"

namespace stowage::testing {

PlanWorld::PlanWorld() {
  desired.cluster.name = "prod";
  desired.source_revision = "src1";
}

model::Host& PlanWorld::AddHost(const std::string& name, int cpu, int memory) {
  model::Host h;
  h.name = name;
  h.endpoint = "default";
  h.capacity = model::Resources{cpu, memory};
  desired.cluster.hosts.push_back(h);
  factory_.Engine(name)->AddImage(kWorldImage);
  return desired.cluster.hosts.back();
}

model::TaskDefinition& PlanWorld::AddTaskDefinition(const std::string& family, int cpu, int memory,
                                                    int host_port) {
  model::TaskDefinition td;
  td.family = family;
  model::ContainerDefinition c;
  c.name = "app";
  c.image = kWorldImage;
  c.cpu = cpu;
  c.memory = memory;
  if (host_port > 0) {
    model::PortMapping p;
    p.container_port = 80;
    p.host_port = host_port;
    c.port_mappings.push_back(p);
  }
  td.containers.push_back(c);
  td.revision = model::ComputeRevision(td);
  desired.task_definitions.push_back(td);
  return desired.task_definitions.back();
}

model::Service& PlanWorld::AddService(const std::string& name, const std::string& family,
                                      int desired_count) {
  model::Service s;
  s.name = name;
  s.task_definition = family;
  s.desired_count = desired_count;
  desired.services.push_back(s);
  return desired.services.back();
}

void PlanWorld::Revise() {
  for (auto& td : desired.task_definitions) td.revision = model::ComputeRevision(td);
}

std::string PlanWorld::SeedTask(const std::string& service, const std::string& host,
                                const std::string& task_id, const model::TaskDefinition* td,
                                runtime::ContainerState state) {
  if (td == nullptr) {
    const model::Service* s = desired.FindService(service);
    td = desired.FindTaskDefinition(s->task_definition);
  }
  apply::TaskIdentity id{desired.cluster.name, host, service, task_id, false, ""};
  if (const model::Service* s = desired.FindService(service)) {
    id.service_definition = model::NormalFormLabel(model::ServiceNormalForm(*s));
  }
  // What an apply with the operator's providers would put in the environment.
  auto resolve = [](const std::string& value_from) -> Result<std::string> {
    return "value of " + value_from;
  };
  auto spec = apply::BuildTaskSpec(*td, id, resolve);
  for (const auto& c : spec->containers) {
    auto added = factory_.Engine(host)->AddContainer(c.spec, state);
    (void)added;
  }
  return task_id;
}

std::string PlanWorld::SeedUnlabelled(const std::string& host, const std::string& name) {
  runtime::ContainerSpec spec;
  spec.name = name;
  spec.image = kWorldImage;
  return *factory_.Engine(host)->AddContainer(spec);
}

observe::ObservedState PlanWorld::Observe() {
  observe::Snapshot snap = observe::TakeSnapshot(desired.cluster, factory_, {.inspect = true});
  return observe::BuildObservedState(desired.cluster, snap, observe::LookupIn(desired));
}

plan::Plan PlanWorld::Plan(const plan::PlanOptions& options) {
  return plan::MakePlan(desired, Observe(), options);
}

int PlanWorld::Apply(const plan::Plan& p) {
  apply::ApplyOptions options;
  options.settle = std::chrono::milliseconds(0);  // running counts as healthy at once
  apply::ManualClock clock;
  return apply::Apply(p, desired, factory_, options, nullptr, clock).ExitCode();
}

std::vector<std::string> ActionLines(const plan::Plan& p) {
  std::vector<std::string> out;
  for (const auto& s : p.services) {
    for (const auto& step : s.steps) {
      for (const auto& a : step.actions) {
        out.push_back(s.service + " " + plan::ActionTypeName(a.type) + " " + a.host + " " +
                      a.reason);
      }
    }
  }
  return out;
}

}  // namespace stowage::testing
