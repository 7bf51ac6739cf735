// Recorded engines for bench_plan: what the Docker engines of a generated
// snapshot would answer, replayed through the product's own decoding.
//
// WriteEngineAnswers writes, per host of a GeneratedSnapshot, the body of
// GET /info (DIR/<host>.info.json) and of GET /containers/json
// (DIR/<host>.containers.json) in the Docker Engine API's JSON. RecordedEngines
// is a RuntimeFactory whose runtimes answer Info() and List() by reading those
// files and decoding them with runtime/docker/engine_json.h, exactly as
// DockerRuntime decodes an engine's answer; observe::TakeSnapshot over it is the
// product's snapshot path minus the HTTP. Every other Runtime call fails.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "base/status.h"
#include "gen/snapshot_gen.h"
#include "observe/snapshot.h"
#include "runtime/runtime.h"

namespace stowage::bench {

Status WriteEngineAnswers(const GeneratedSnapshot& snapshot, const std::filesystem::path& dir);

std::unique_ptr<runtime::RuntimeFactory> RecordedEngines(const std::filesystem::path& dir);

}  // namespace stowage::bench
