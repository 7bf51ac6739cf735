// The label contract: how stowage recognises its own containers on an engine.
//
// There is no state file; every container stowage creates carries these
// labels, and observed state is rebuilt from them. stowage never touches a
// container without kCluster. Container names are <service>.<container>.<task-id>.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

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
// Position of the container in its task's start order ("0", "1", ...) and
// whether it is essential ("true"/"false"): enough to stop a task in reverse
// order, restart it in order and judge its health without its definition.
inline constexpr const char* kStartOrder = "io.stowage.start-order";
inline constexpr const char* kEssential = "io.stowage.essential";
// Seconds to wait after SIGTERM before SIGKILL (stopTimeout, ECS default 30).
inline constexpr const char* kStopTimeout = "io.stowage.stop-timeout";
// What the whole task reserves on its host (ECS units: CPU units, MiB; the task
// definition's CpuUnits()/MemoryMiB()), set on every container of the task, so
// observed state knows the usage of tasks whose revision is no longer in the source.
inline constexpr const char* kCpu = "io.stowage.cpu";
inline constexpr const char* kMemory = "io.stowage.memory";
// The source revision the container was deployed from: a commit id, or a
// directory's content digest ("dir-..."). Not part of the spec hash: a new
// commit that leaves a task definition alone does not replace its tasks.
inline constexpr const char* kCommit = "io.stowage.commit";
// "true" on the containers of a standalone task (`stowage run-task`): the
// planner never replaces nor prunes them; their kService is "run-task:<family>".
inline constexpr const char* kStandalone = "io.stowage.standalone";
// The normalised definition the container was created from (model/normal_form.h,
// compact JSON; secrets as references, never values): the task-level fields with
// only this container. The service's normalised settings (desiredCount,
// placement, deployment) at the time. What `plan` diffs the source against.
inline constexpr const char* kDefinition = "io.stowage.definition";
inline constexpr const char* kServiceDefinition = "io.stowage.service-definition";

// The cluster lock (apply/lock.h) is a created-never-started container named
// LockContainerName(cluster). It carries kLock (value: the cluster name) and
// never kCluster, so observed state and the planner do not see it.
inline constexpr const char* kLock = "io.stowage.lock";
inline constexpr const char* kLockOwner = "io.stowage.lock.owner";  // user@machine
inline constexpr const char* kLockPid = "io.stowage.lock.pid";
inline constexpr const char* kLockHost = "io.stowage.lock.host";        // machine name
inline constexpr const char* kLockSince = "io.stowage.lock.since";      // unix seconds
inline constexpr const char* kLockExpires = "io.stowage.lock.expires";  // unix seconds
inline constexpr const char* kLockToken = "io.stowage.lock.token";      // one per acquisition

// The deploy history (history/store.h): one created-never-started container
// per record, named HistoryContainerName(cluster, id), carrying kHistory (the
// cluster name, never kCluster), the record id and time (for pruning without
// decoding) and the encoded record.
inline constexpr const char* kHistory = "io.stowage.history";
inline constexpr const char* kHistoryId = "io.stowage.history.id";
inline constexpr const char* kHistoryTime = "io.stowage.history.time";  // unix ms
inline constexpr const char* kHistoryRecord = "io.stowage.history.record";

inline std::string ContainerName(const std::string& service, const std::string& container,
                                 const std::string& task_id) {
  return service + "." + container + "." + task_id;
}

// Retirement: an old task's container that stowage told to stop is first
// renamed RetiredName(name, deadline), its name plus ".retired-<unix
// seconds>", the time by which its engine will have killed it (now + its stop
// timeout). Its labels stay. Observed state counts a retired container as no
// task (it is on its way out: a plan right after an apply that handed its
// stops to the engines has nothing to do), though its host ports stay held
// while it runs; an apply removes it once it has exited (apply/retired.h).
// A rollback renames it back before starting it again.
std::string RetiredName(const std::string& name, std::int64_t deadline_unix);
// The deadline of a retired container's name; nullopt for any other name.
std::optional<std::int64_t> RetiredDeadline(std::string_view name);
// The name before retirement; `name` itself when it is not a retired name.
std::string UnretiredName(std::string_view name);

inline std::string LockContainerName(const std::string& cluster) {
  return "stowage-lock." + cluster;
}

inline std::string HistoryContainerName(const std::string& cluster, const std::string& id) {
  return "stowage-history." + cluster + "." + id;
}

// A number stowage wrote into a label, read back from an engine where anyone
// with docker access may have edited it: `fallback` when the label is absent
// or empty,
// an error value (never an exception) when it is not an integer from 0 to
// `max`: `label io.stowage.stop-timeout: expected an integer from 0 to 86400,
// got "x"` (the value escaped and cut to 64 bytes).
Result<std::int64_t> IntLabel(const std::map<std::string, std::string>& labels, const char* key,
                              std::int64_t fallback, std::int64_t max);

}  // namespace stowage::labels
