#include "policy/rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>

namespace stowage::policy {
namespace {

constexpr std::array<std::string_view, 12> kRules = {"privileged",
                                                     "capabilities",
                                                     "pidMode",
                                                     "ipcMode",
                                                     "networkMode",
                                                     "devices",
                                                     "dockerSecurityOptions",
                                                     "systemControls",
                                                     "hostPath",
                                                     "user",
                                                     "readonlyRootFilesystem",
                                                     "image"};

// moby's defaultCapabilities (oci/caps/defaults.go).
constexpr std::array<std::string_view, 14> kDockerDefault = {
    "CHOWN",   "DAC_OVERRIDE", "FSETID",           "FOWNER",
    "MKNOD",   "NET_RAW",      "SETGID",           "SETUID",
    "SETFCAP", "SETPCAP",      "NET_BIND_SERVICE", "SYS_CHROOT",
    "KILL",    "AUDIT_WRITE"};

// Kubernetes' safe sysctls (Pod Security Standards, baseline).
constexpr std::array<std::string_view, 10> kSafeSysctls = {"kernel.shm_rmid_forced",
                                                           "net.ipv4.ip_local_port_range",
                                                           "net.ipv4.ip_unprivileged_port_start",
                                                           "net.ipv4.tcp_syncookies",
                                                           "net.ipv4.ping_group_range",
                                                           "net.ipv4.ip_local_reserved_ports",
                                                           "net.ipv4.tcp_keepalive_time",
                                                           "net.ipv4.tcp_fin_timeout",
                                                           "net.ipv4.tcp_keepalive_intvl",
                                                           "net.ipv4.tcp_keepalive_probes"};

constexpr std::array<std::string_view, 13> kSensitive = {"/etc",
                                                         "/root",
                                                         "/boot",
                                                         "/dev",
                                                         "/proc",
                                                         "/sys",
                                                         "/run",
                                                         "/var/run",
                                                         "/var/lib/docker",
                                                         "/usr",
                                                         "/bin",
                                                         "/sbin",
                                                         "/var/lib/containerd"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool Under(const std::string& path, std::string_view prefix) {
  return path == prefix ||
         (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
          path[prefix.size()] == '/');
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

bool IsRuleName(std::string_view name) { return Contains(kRules, name); }

std::string RuleNames() {
  std::string out;
  for (auto r : kRules) out += (out.empty() ? "" : ", ") + std::string(r);
  return out;
}

std::string NormalCapability(std::string capability) {
  for (char& c : capability) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (capability.rfind("CAP_", 0) == 0) capability.erase(0, 4);
  return capability;
}

bool InDockerDefaultCapabilities(const std::string& normal_capability) {
  return Contains(kDockerDefault, normal_capability);
}

std::string NormalHostPath(const std::string& path) {
  std::string out = std::filesystem::path(path).lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool IsSensitiveHostPath(const std::string& normal_path) {
  if (normal_path == "/" || normal_path.empty()) return true;
  if (normal_path.ends_with("docker.sock")) return true;
  for (auto prefix : kSensitive) {
    if (Under(normal_path, prefix)) return true;
  }
  // /lib, /lib64, /lib32, /libx32 and what is below them.
  return normal_path.rfind("/lib", 0) == 0;
}

bool IsSafeSysctl(const std::string& name) { return Contains(kSafeSysctls, name); }

bool DisablesConfinement(const std::string& option) {
  std::string o = Lower(option);
  std::replace(o.begin(), o.end(), ':', '=');
  return o == "seccomp=unconfined" || o == "apparmor=unconfined" || o == "label=disable" ||
         o == "systempaths=unconfined" || o == "no-new-privileges=false";
}

}  // namespace stowage::policy
