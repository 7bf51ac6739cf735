// Policy: what the operator allows a source to ask of the hosts.
//
// Whoever can commit controls what runs; the operator, through a policy file
// kept outside the source (--policy FILE, $STOWAGE_POLICY, else
// /etc/stowage/policy.yaml when it exists), controls what that may be. Levels
// follow Kubernetes Pod Security Standards: `baseline` (the default, also
// with no file) refuses what takes the host (privileged, added capabilities
// beyond Docker's default set, host namespaces, devices, seccomp/AppArmor
// disabled, unsafe sysctls, binds of sensitive host paths);
// `restricted` adds non-root users, read-only root filesystems, no added
// capabilities and no host paths; `privileged` allows anything. Allow-lists
// (host path prefixes, capabilities, image patterns, endpoint patterns) and
// per-service or per-family exceptions loosen a level. CheckPolicy reports a
// violation as an error at the offending field, naming the rule and the
// policy file (stowage-policy(5)). Pure: the file is read by LoadPolicy only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "diag/diagnostic.h"
#include "model/desired_state.h"

namespace stowage::policy {

enum class Level { kBaseline, kRestricted, kPrivileged };
const char* LevelName(Level level);

struct HostPathAllow {
  std::string prefix;      // absolute, normalised; a bind of it or below it passes
  bool read_only = false;  // only when every mount of it is read-only
};

// Rules a service or a family may be excused from (the names in messages).
struct Exception {
  std::string service;  // one of the two is set
  std::string family;
  std::vector<std::string> allow;  // rule names, or "*"
};

struct Policy {
  Level level = Level::kBaseline;
  std::string file;  // where it was read from; "" for the built-in default
  std::vector<HostPathAllow> host_paths;
  std::vector<std::string> capabilities;  // upper case, without CAP_
  std::vector<std::string> images;        // registry/repository globs; empty: any
  std::vector<std::string> endpoints;     // endpoint globs; empty: any
  std::vector<Exception> exceptions;
};

// The policy file's text (YAML); errors name file:line:col.
Result<Policy> ParsePolicy(const std::string& file, const std::string& text);
// Reads and parses `file`.
Result<Policy> LoadPolicy(const std::string& file);
// --policy FILE when given, else $STOWAGE_POLICY when set and not empty, else
// /etc/stowage/policy.yaml when it exists, else the default (baseline).
Result<Policy> ResolvePolicy(const std::string& flag);
inline constexpr const char* kDefaultPolicyFile = "/etc/stowage/policy.yaml";

// Every violation of `policy` by the task definitions (as the services that
// use them are excused) and the cluster's endpoints, at its field.
void CheckPolicy(const model::DesiredState& state, const Policy& policy, Diagnostics& diags);

// Whether `text` matches the glob `pattern` ('*' any run of characters, '?' one).
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace stowage::policy
