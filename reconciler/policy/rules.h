// The rules a policy enforces, by name, and the host facts they rely on.
// Internal to policy/.
#pragma once

#include <string>
#include <string_view>

namespace stowage::policy {

// "privileged", "capabilities", "pidMode", ... : the names exceptions use.
bool IsRuleName(std::string_view name);
// The list for messages: "privileged, capabilities, ...".
std::string RuleNames();

// "sys_admin" and "CAP_SYS_ADMIN" are both "SYS_ADMIN".
std::string NormalCapability(std::string capability);
// Docker's default capability set (a container gets these without asking).
bool InDockerDefaultCapabilities(const std::string& normal_capability);

// "/var//log/" is "/var/log" (lexically; ".." resolved).
std::string NormalHostPath(const std::string& path);
// A host path baseline refuses to bind: "/", /etc, /proc, ..., any *docker.sock.
bool IsSensitiveHostPath(const std::string& normal_path);

// A sysctl Kubernetes counts as safe (namespaced, isolated per container).
bool IsSafeSysctl(const std::string& name);

// dockerSecurityOptions that turn a confinement off: seccomp/AppArmor unconfined,
// SELinux labels disabled, system paths unmasked.
bool DisablesConfinement(const std::string& option);

}  // namespace stowage::policy
