// Service "web" of cluster "prod" for status tests: its desired state, and a
// container of one of its tasks (family web, container app, essential),
// labelled as stowage labels what it starts, to put on a fake engine and
// observe. Header-only.
#pragma once

#include <string>
#include <vector>

#include "model/desired_state.h"
#include "model/labels.h"
#include "runtime/runtime.h"

namespace stowage::testing {

// Service web (family web at `revision`, image stowage/busybox:1) with
// `count` tasks on hosts `hosts`.
inline model::DesiredState WebDesired(const std::string& revision,
                                      const std::vector<std::string>& hosts = {"a"},
                                      int count = 2) {
  model::DesiredState desired;
  desired.cluster.name = "prod";
  for (const auto& h : hosts) {
    model::Host host;
    host.name = h;
    desired.cluster.hosts.push_back(host);
  }
  model::TaskDefinition td;
  td.family = "web";
  td.revision = revision;
  model::ContainerDefinition c;
  c.name = "app";
  c.image = "stowage/busybox:1";
  td.containers.push_back(c);
  desired.task_definitions.push_back(td);
  model::Service svc;
  svc.name = "web";
  svc.task_definition = "web";
  svc.desired_count = count;
  desired.services.push_back(svc);
  return desired;
}

inline runtime::ContainerSpec WebTaskContainer(const std::string& host, const std::string& task,
                                               const std::string& revision) {
  runtime::ContainerSpec s;
  s.name = labels::ContainerName("web", "app", task);
  s.image = "stowage/busybox:1";
  s.labels = {{labels::kCluster, "prod"},  {labels::kHost, host},
              {labels::kService, "web"},   {labels::kTask, task},
              {labels::kFamily, "web"},    {labels::kRevision, revision},
              {labels::kContainer, "app"}, {labels::kEssential, "true"}};
  return s;
}

}  // namespace stowage::testing
