// CheckPolicy: each rule on each task definition and on the cluster.
#include <algorithm>

#include "model/endpoint.h"
#include "policy/endpoint_pattern.h"
#include "policy/policy.h"
#include "policy/rules.h"
#include "util/printable.h"

namespace stowage::policy {
namespace {

using model::ContainerDefinition;
using model::TaskDefinition;

const Position& Best(const Position& precise, const Position& fallback) {
  return precise.line > 0 ? precise : fallback;
}

bool Lists(const std::vector<std::string>& allow, const std::string& rule) {
  return std::any_of(allow.begin(), allow.end(),
                     [&](const std::string& a) { return a == rule || a == "*"; });
}

// One task definition under the policy, with the services that run it.
class TaskCheck {
 public:
  TaskCheck(const TaskDefinition& td, const model::DesiredState& state, const Policy& policy,
            Diagnostics& diags)
      : td_(td), state_(state), policy_(policy), diags_(diags) {}

  void Run() {
    if (policy_.level == Level::kPrivileged && policy_.images.empty()) return;
    if (policy_.level != Level::kPrivileged) {
      TaskLevel();
      for (const auto& v : td_.volumes) HostPath(v);
      for (const auto& c : td_.containers) Container(c);
    }
    for (const auto& c : td_.containers) Image(c);
  }

 private:
  // Excused when the family has an exception for `rule`, or every service
  // that runs it does (and one does).
  bool Excused(const std::string& rule) const {
    bool any_service = false;
    bool every_service = true;
    for (const auto& e : policy_.exceptions) {
      if (e.family == td_.family && Lists(e.allow, rule)) return true;
    }
    for (const auto& s : state_.services) {
      if (s.task_definition != td_.family && s.task_definition.rfind(td_.family + ":", 0) != 0 &&
          s.task_definition.find("/" + td_.family) == std::string::npos) {
        continue;
      }
      any_service = true;
      const bool excused = std::any_of(
          policy_.exceptions.begin(), policy_.exceptions.end(),
          [&](const Exception& e) { return e.service == s.name && Lists(e.allow, rule); });
      every_service = every_service && excused;
    }
    return any_service && every_service;
  }

  std::string Where() const {
    return "policy " + std::string(LevelName(policy_.level)) + " (" +
           (policy_.file.empty() ? "the default: no policy file" : policy_.file) + ")";
  }

  // "FIELD: [WHAT ]not allowed by policy baseline (FILE); [REMEDY, or ]allow it
  // for this service under exceptions[ (rule RULE)]": the rule is named when
  // the field does not already say it.
  void Refuse(const std::string& rule, const Position& at, const std::string& field,
              const std::string& what, const std::string& remedy = "") {
    if (Excused(rule)) return;
    diags_.Error(at, field + ": " + (what.empty() ? "" : what + " ") + "not allowed by " + Where() +
                         "; " + (remedy.empty() ? "" : remedy + ", or ") +
                         "allow it for this service under exceptions" +
                         (field == rule ? "" : " (rule " + rule + ")"));
  }

  void TaskLevel() {
    if (td_.pid_mode == "host") {
      Refuse("pidMode", Best(td_.pid_mode_position, td_.position), "pidMode", "host");
    }
    if (td_.ipc_mode == "host") {
      Refuse("ipcMode", Best(td_.ipc_mode_position, td_.position), "ipcMode", "host");
    }
    if (td_.network_mode == model::NetworkMode::kHost) {
      Refuse("networkMode", Best(td_.network_mode_position, td_.position), "networkMode", "host");
    }
  }

  // A bind of a host path: sensitive ones never (baseline), any (restricted),
  // unless an allowed prefix covers it (and its mounts are read-only when the
  // prefix requires it).
  void HostPath(const model::Volume& v) {
    if (!v.host_source_path || v.host_source_path->empty()) return;
    const std::string path = NormalHostPath(*v.host_source_path);
    const Position& at = Best(v.host_source_path_position, v.position);
    if (AllowedHostPath(v.name, path)) return;
    const bool sensitive = IsSensitiveHostPath(path);
    if (!sensitive && policy_.level == Level::kBaseline) return;
    Refuse("hostPath", at, "host.sourcePath",
           "\"" + Printable(path) + "\"" + (sensitive ? " (a sensitive host path)" : ""),
           "add it to allow.hostPaths");
  }

  bool AllowedHostPath(const std::string& volume, const std::string& path) const {
    for (const auto& a : policy_.host_paths) {
      const bool under = a.prefix == "/" || path == a.prefix ||
                         (path.rfind(a.prefix, 0) == 0 && path[a.prefix.size()] == '/');
      if (!under) continue;
      if (!a.read_only || MountsReadOnly(volume)) return true;
    }
    return false;
  }

  bool MountsReadOnly(const std::string& volume) const {
    for (const auto& c : td_.containers) {
      for (const auto& mp : c.mount_points) {
        if (mp.source_volume == volume && !mp.read_only) return false;
      }
    }
    return true;
  }

  void Container(const ContainerDefinition& c) {
    const Position& here = c.position;
    if (c.privileged) {
      Refuse("privileged", Best(c.privileged_position, here), "privileged", "");
    }
    Capabilities(c);
    if (!c.devices.empty()) {
      Refuse("devices", Best(c.devices_position, here), "linuxParameters.devices",
             "\"" + Printable(c.devices.front()) + "\"");
    }
    for (const auto& o : c.docker_security_options) {
      if (!DisablesConfinement(o)) continue;
      Refuse("dockerSecurityOptions", Best(c.security_options_position, here),
             "dockerSecurityOptions", "\"" + Printable(o) + "\"");
    }
    for (const auto& sc : c.system_controls) {
      if (IsSafeSysctl(sc.name)) continue;
      Refuse("systemControls", Best(c.system_controls_position, here), "systemControls",
             "\"" + Printable(sc.name) + "\" (not a safe sysctl)");
    }
    if (policy_.level != Level::kRestricted) return;
    if (c.user.empty() || c.user == "root" || c.user == "0" || c.user.rfind("0:", 0) == 0 ||
        c.user.rfind("root:", 0) == 0) {
      Refuse("user", Best(c.user_position, here), "user",
             c.user.empty() ? std::string("unset (the image's user, often root)")
                            : "\"" + Printable(c.user) + "\"",
             "set a non-root user");
    }
    if (!c.readonly_root_filesystem) {
      Refuse("readonlyRootFilesystem", Best(c.readonly_position, here), "readonlyRootFilesystem",
             "false", "set it to true");
    }
  }

  void Capabilities(const ContainerDefinition& c) {
    for (const auto& raw : c.linux_parameters.cap_add) {
      const std::string cap = NormalCapability(raw);
      if (std::find(policy_.capabilities.begin(), policy_.capabilities.end(), cap) !=
          policy_.capabilities.end()) {
        continue;
      }
      if (policy_.level == Level::kBaseline && InDockerDefaultCapabilities(cap)) continue;
      Refuse("capabilities", Best(c.cap_add_position, c.position),
             "linuxParameters.capabilities.add", Printable(raw), "add it to allow.capabilities");
    }
  }

  void Image(const ContainerDefinition& c) {
    if (policy_.images.empty()) return;
    if (ImageAllowed(c.image)) return;
    Refuse("image", Best(c.image_position, c.position), "image", "\"" + Printable(c.image) + "\"",
           "add a pattern for it to allow.images");
  }

  bool ImageAllowed(const std::string& image) const {
    const std::string repo = Repository(image);
    const std::string full = FullRepository(repo);
    return std::any_of(policy_.images.begin(), policy_.images.end(), [&](const std::string& p) {
      return GlobMatch(p, repo) || GlobMatch(p, full) || GlobMatch(p, image);
    });
  }

  // "nginx:1.25@sha256:..." -> "nginx".
  static std::string Repository(std::string image) {
    if (auto at = image.find('@'); at != std::string::npos) image.erase(at);
    const auto slash = image.rfind('/');
    const auto colon = image.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
      image.erase(colon);
    }
    return image;
  }

  // Docker's familiar names in full: "nginx" -> "docker.io/library/nginx".
  static std::string FullRepository(const std::string& repo) {
    const auto slash = repo.find('/');
    if (slash == std::string::npos) return "docker.io/library/" + repo;
    const std::string first = repo.substr(0, slash);
    if (first.find('.') == std::string::npos && first.find(':') == std::string::npos &&
        first != "localhost") {
      return "docker.io/" + repo;
    }
    return repo;
  }

  const TaskDefinition& td_;
  const model::DesiredState& state_;
  const Policy& policy_;
  Diagnostics& diags_;
};

void CheckEndpoints(const model::Cluster& cluster, const Policy& policy, Diagnostics& diags) {
  if (policy.endpoints.empty()) return;
  std::vector<EndpointPattern> patterns;
  for (const auto& text : policy.endpoints) {
    // ParsePolicy refused a pattern that does not parse; one that got here anyway allows nothing.
    if (auto p = ParseEndpointPattern(text); p.ok()) patterns.push_back(std::move(*p));
  }
  for (const auto& h : cluster.hosts) {
    // An endpoint that does not parse is an error of the cluster checks; it is refused here too.
    auto endpoint = model::ParseEndpoint(h.endpoint);
    const std::string ssh_user = h.ssh ? h.ssh->user : "";
    const bool allowed =
        endpoint.ok() && std::any_of(patterns.begin(), patterns.end(), [&](const auto& p) {
          return EndpointMatches(p, *endpoint, ssh_user);
        });
    if (allowed) continue;
    diags.Error(Best(h.endpoint_position, h.position),
                "endpoint: \"" + Printable(h.endpoint) + "\" not allowed by policy " +
                    LevelName(policy.level) + " (" +
                    (policy.file.empty() ? "the default" : policy.file) +
                    "); add a pattern for it to allow.endpoints");
  }
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

void CheckPolicy(const model::DesiredState& state, const Policy& policy, Diagnostics& diags) {
  for (const auto& td : state.task_definitions) TaskCheck(td, state, policy, diags).Run();
  CheckEndpoints(state.cluster, policy, diags);
}

}  // namespace stowage::policy
