// ReferencedFiles: the files of a source that its documents name besides
// themselves, so that a directory's revision can cover their bytes.
//
// Cluster TLS files (hosts[].tls.ca/cert/key) and age-encrypted secret files
// (`valueFrom` or `credentialsParameter` of the form age:PATH[#KEY]) are read
// through the source but are not documents; Source::SetReferencedFiles takes
// this list after each load (source/source.h).
#pragma once

#include <string>
#include <vector>

#include "model/cluster.h"
#include "model/task_definition.h"

namespace stowage::load {

// The paths, sorted, each once. References that do not parse are left out
// (the reference checks report them).
std::vector<std::string> ReferencedFiles(const std::vector<model::Cluster>& clusters,
                                         const std::vector<model::TaskDefinition>& definitions);

}  // namespace stowage::load
