// Revision: the content hash that names one version of a task definition.
//
// Every container stowage starts carries its task definition's revision in
// the io.stowage.revision label; the planner compares it with the source to
// decide whether a service needs a deployment. The hash is taken over the
// decoded model, after normalisation, so key order, "256" vs 256, "1 vCPU" vs
// 1024 and defaults written out explicitly do not change it, while any change
// that reaches a container, a volume or placement does. Order-free lists
// (containers, environment, secrets, port mappings, mounts, volumes,
// constraints, ...) are hashed in a canonical order. Positions are not part of
// the content. Tags are: they are part of what the file says.
#pragma once

#include <string>

#include "model/task_definition.h"

namespace stowage::model {

// 16 lowercase hex characters (short enough for labels and plans).
std::string ComputeRevision(const TaskDefinition& td);

}  // namespace stowage::model
