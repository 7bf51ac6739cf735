// DesiredState: everything a source says, decoded and validated.
//
// Produced only when the whole source loaded and validated without errors
// (a broken document never yields a partial DesiredState). Ordered
// deterministically: task definitions by family, services by name.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/cluster.h"
#include "model/service.h"
#include "model/task_definition.h"

namespace stowage::model {

struct DesiredState {
  std::string source_revision;  // Source::Revision(): commit id or directory content hash
  bool source_git = false;      // the revision is a commit
  std::string source_author;    // the commit's author, "Name <mail>" (git)
  std::string source_subject;   // the commit's first line (git)
  // Every template variable the documents used: name -> digest of its value
  // (source/template_values.h TemplateValueDigest); a saved plan records it.
  std::map<std::string, std::string> template_values;
  Cluster cluster;
  std::vector<TaskDefinition> task_definitions;
  std::vector<Service> services;

  const TaskDefinition* FindTaskDefinition(const std::string& family) const;
  const Service* FindService(const std::string& name) const;
};

}  // namespace stowage::model
