// Decoding: checked documents into the model (model/*.h).
//
// Each decoder takes a document that passed CheckSchema for its kind and fills
// the model struct: ECS spellings (numbers as strings, "1 vCPU", "2 GB",
// "family:3"), the defaults the model documents, and every Position. The
// few problems a schema cannot express (a unit that is not a whole number of
// CPU units, an integer too large) are reported to `diags`; they return false
// then. `networkMode: awsvpc` decodes as bridge with a warning.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "diag/diagnostic.h"
#include "load/value.h"
#include "model/cluster.h"
#include "model/service.h"
#include "model/task_definition.h"

namespace stowage::load {

bool DecodeTaskDefinition(const Value& doc, model::TaskDefinition& out, Diagnostics& diags);
bool DecodeService(const Value& doc, model::Service& out, Diagnostics& diags);
// `base_dir` is where relative tls paths are resolved: the cluster file's directory.
bool DecodeCluster(const Value& doc, const std::string& base_dir, model::Cluster& out,
                   Diagnostics& diags);

// Task-level units: 256, "256", "1 vCPU", "0.5 vcpu" -> CPU units (1024 per vCPU);
// 512, "512", "512 MiB", "2 GB", "1.5GB" -> MiB. nullopt unless the result is a
// positive whole number.
std::optional<int> ParseCpuUnits(std::string_view text);
std::optional<int> ParseMemoryMiB(std::string_view text);

}  // namespace stowage::load
