// The pure mapping between stowage's runtime values and Docker Engine API JSON.
//
// No I/O here: ContainerSpec -> the body of POST /containers/create, the JSON of
// GET /containers/json, /containers/{id}/json, /info and /events -> runtime
// values, the label filter, the engine's error message, and the image reference
// and registry credentials pulling needs. Unit-tested without an engine
// (tests/unit_docker/); DockerRuntime does the HTTP around it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "runtime/runtime.h"

namespace stowage::runtime::docker {

// The body of POST /containers/create for `spec` (RestartPolicy is always "no").
nlohmann::json CreateBody(const ContainerSpec& spec);

// filters={"label":["k=v","k2"]} (a "" value matches any value of the key), plus
// "type" when given (for /events).
std::string LabelFilters(const Labels& filter, const std::string& type = "");

ContainerState ParseState(const std::string& state);
// Health from a list entry's Status text: "Up 3 seconds (healthy)" -> kHealthy,
// "(health: starting)" -> kStarting, "(unhealthy)" -> kUnhealthy, else kNone.
Health ParseHealthFromStatus(const std::string& status);
// Exit code from "Exited (137) 2 seconds ago"; nullopt when not exited.
std::optional<int> ParseExitCodeFromStatus(const std::string& status);

// One entry of GET /containers/json.
Result<ContainerSummary> ParseListEntry(const nlohmann::json& entry);
Result<std::vector<ContainerSummary>> ParseList(const std::string& body);
// The names in a GET /volumes answer ({"Volumes": [{"Name": ...}, ...]}).
Result<std::vector<std::string>> ParseVolumeNames(const std::string& body);
Result<ContainerDetails> ParseInspect(const std::string& body);
Result<HostInfo> ParseInfo(const std::string& body);
// One line of the /events stream; nullopt for non-container events.
Result<std::optional<ContainerEvent>> ParseEvent(const std::string& line);

// The engine's {"message": "..."} or the raw body when it is not JSON.
std::string EngineMessage(const std::string& body);

struct ImageRef {
  std::string repository;  // "docker.io/library/nginx" kept as given: "nginx"
  std::string tag;         // "latest" when none; empty when a digest is given
  std::string digest;      // "sha256:..." or empty
  std::string registry;    // "docker.io" unless the first component names a host
};
ImageRef ParseImageRef(const std::string& image);

// The X-Registry-Auth header value (base64url JSON) for `registry` from the text
// of ~/.docker/config.json, or nullopt when it holds no credentials for it.
std::optional<std::string> RegistryAuthHeader(const std::string& config_json,
                                              const std::string& registry);

// "2026-11-21T19:50:29.123456789Z" -> unix seconds (0 when unparsable).
std::int64_t ParseRfc3339Seconds(const std::string& s);

std::string Base64Encode(std::string_view in, bool url_safe);
std::optional<std::string> Base64Decode(std::string_view in);

}  // namespace stowage::runtime::docker
