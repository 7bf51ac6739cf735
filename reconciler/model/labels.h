// The label contract: how stowage recognises its own containers on an engine.
//
// There is no state file; every container stowage creates carries these
// labels, and observed state is rebuilt from them. stowage never touches a
// container without kCluster. Container names are <service>.<container>.<task-id>.
#pragma once

#include <string>

namespace stowage::labels {

inline constexpr const char* kCluster = "io.stowage.cluster";
inline constexpr const char* kHost = "io.stowage.host";
inline constexpr const char* kService = "io.stowage.service";
inline constexpr const char* kTask = "io.stowage.task";
inline constexpr const char* kFamily = "io.stowage.family";
inline constexpr const char* kRevision = "io.stowage.revision";
inline constexpr const char* kContainer = "io.stowage.container";
// Hash of the container spec as created; a mismatch on inspect means drift.
inline constexpr const char* kSpecHash = "io.stowage.spec-hash";

inline std::string ContainerName(const std::string& service, const std::string& container,
                                 const std::string& task_id) {
  return service + "." + container + "." + task_id;
}

}  // namespace stowage::labels
