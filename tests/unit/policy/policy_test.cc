#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "load/load_source.h"
#include "policy/policy.h"

namespace stowage::policy {
namespace {

using Lines = std::vector<std::string>;

// The policy diagnostics of one task definition file (and a service per
// `services` entry, "name=family").
Lines Check(const std::string& task_yaml, const Policy& policy,
            const std::vector<std::string>& services = {}) {
  load::LoadedSource loaded;
  load::LoadFileText("td.yaml", task_yaml, "", loaded);
  for (const auto& s : services) {
    const auto eq = s.find('=');
    model::Service svc;
    svc.name = s.substr(0, eq);
    svc.task_definition = s.substr(eq + 1);
    loaded.state.services.push_back(svc);
  }
  Diagnostics diags;
  CheckPolicy(loaded.state, policy, diags);
  diags.Sort();
  Lines out;
  for (const auto& d : diags.items()) out.push_back(FormatDiagnostic(d));
  return out;
}

Policy Parse(const std::string& text) {
  auto p = ParsePolicy("/etc/stowage/policy.yaml", text);
  if (!p.ok()) FAIL(p.status().message());
  return *p;
}

const char* kPrivileged = R"(family: tool
containerDefinitions:
  - name: tool
    image: stowage/busybox:1
    memory: 64
    privileged: true
)";

}  // namespace

TEST_CASE("baseline refuses privileged at its field, naming the rule and the file", "[policy]") {
  CHECK(Check(kPrivileged, Parse("level: baseline\n")) ==
        Lines{"td.yaml:6:17: error: privileged: not allowed by policy baseline "
              "(/etc/stowage/policy.yaml); allow it for this service under exceptions"});
  CHECK(Check(kPrivileged, Policy{}) ==
        Lines{"td.yaml:6:17: error: privileged: not allowed by policy baseline (the default: no "
              "policy file); allow it for this service under exceptions"});
  CHECK(Check(kPrivileged, Parse("level: privileged\n")).empty());
}

TEST_CASE("an exception excuses a family, or a service when every service running it has one",
          "[policy]") {
  const Policy p = Parse(R"(exceptions:
  - service: admin
    allow: [privileged]
  - family: other
    allow: ["*"]
)");
  CHECK(Check(kPrivileged, p, {"admin=tool"}).empty());
  CHECK(Check(kPrivileged, p, {"admin=tool", "sneaky=tool"}).size() == 1);
  CHECK(Check(kPrivileged, p).size() == 1);  // run-task of a family without an exception
  CHECK(Check(kPrivileged, Parse("exceptions: [{family: tool, allow: [privileged]}]\n")).empty());
  CHECK(Check(kPrivileged, Parse("exceptions: [{family: tool, allow: [hostPath]}]\n")).size() == 1);
}

TEST_CASE("baseline rules: capabilities, host namespaces, devices, security options, sysctls",
          "[policy]") {
  const char* td = R"(family: t
networkMode: host
pidMode: host
ipcMode: host
containerDefinitions:
  - name: c
    image: stowage/busybox:1
    memory: 64
    linuxParameters:
      capabilities: {add: [NET_BIND_SERVICE, cap_sys_admin, ALL]}
      devices: [{hostPath: /dev/kvm}]
    dockerSecurityOptions: ["seccomp:unconfined", "no-new-privileges"]
    systemControls: [{namespace: net.ipv4.tcp_syncookies, value: "1"}, {namespace: kernel.sysrq, value: "1"}]
)";
  const std::string tail = " not allowed by policy baseline (the default: no policy file); ";
  CHECK(Check(td, Policy{}) ==
        Lines{"td.yaml:2:14: error: networkMode: host" + tail +
                  "allow it for this service under exceptions",
              "td.yaml:3:10: error: pidMode: host" + tail +
                  "allow it for this service under exceptions",
              "td.yaml:4:10: error: ipcMode: host" + tail +
                  "allow it for this service under exceptions",
              "td.yaml:10:27: error: linuxParameters.capabilities.add: cap_sys_admin" + tail +
                  "add it to allow.capabilities, or allow it for this service under exceptions "
                  "(rule capabilities)",
              "td.yaml:10:27: error: linuxParameters.capabilities.add: ALL" + tail +
                  "add it to allow.capabilities, or allow it for this service under exceptions "
                  "(rule capabilities)",
              "td.yaml:11:16: error: linuxParameters.devices: \"/dev/kvm\"" + tail +
                  "allow it for this service under exceptions (rule devices)",
              "td.yaml:12:28: error: dockerSecurityOptions: \"seccomp:unconfined\"" + tail +
                  "allow it for this service under exceptions",
              "td.yaml:13:21: error: systemControls: \"kernel.sysrq\" (not a safe sysctl)" + tail +
                  "allow it for this service under exceptions"});
  CHECK(Check(td, Parse("level: baseline\nallow: {capabilities: [SYS_ADMIN, all]}\n"
                        "exceptions: [{family: t, allow: [networkMode, pidMode, ipcMode, devices, "
                        "dockerSecurityOptions, systemControls]}]\n"))
            .empty());
}

TEST_CASE("host paths: sensitive ones refused, allow-lists with read-only", "[policy]") {
  auto td = [](const std::string& path, bool read_only) {
    return "family: t\nvolumes:\n  - name: v\n    host: {sourcePath: \"" + path +
           "\"}\ncontainerDefinitions:\n  - name: c\n    image: stowage/busybox:1\n    memory: 64\n"
           "    mountPoints: [{sourceVolume: v, containerPath: /x, readOnly: " +
           (read_only ? "true" : "false") + "}]\n";
  };
  for (const char* path : {"/",
                           "/etc",
                           "/etc/ssl",
                           "/root",
                           "/boot",
                           "/dev",
                           "/proc/1",
                           "/sys",
                           "/run",
                           "/var/run",
                           "/var/run/docker.sock",
                           "/var/lib/docker",
                           "/usr",
                           "/bin",
                           "/sbin",
                           "/lib",
                           "/lib64",
                           "/srv/docker.sock",
                           "/var/../etc",
                           "//"}) {
    INFO(path);
    const Lines out = Check(td(path, true), Policy{});
    REQUIRE(out.size() == 1);
    CHECK(out[0].find("td.yaml:4:24: error: host.sourcePath: \"") == 0);
    CHECK(out[0].find("(a sensitive host path) not allowed by policy baseline") !=
          std::string::npos);
  }
  CHECK(Check(td("/var/log", true), Policy{}).empty());  // the log shipper
  CHECK(Check(td("/srv/data", false), Policy{}).empty());
  const Policy restricted = Parse(
      "level: restricted\nallow:\n  hostPaths:\n"
      "    - {path: /var/log, readOnly: true}\n");
  CHECK(Check(td("/var/log/app", true), restricted).size() == 2);  // user, readonlyRootFilesystem
  const Lines rw = Check(td("/var/log", false), restricted);
  CHECK(rw.size() == 3);
  CHECK(rw[0] ==
        "td.yaml:4:24: error: host.sourcePath: \"/var/log\" not allowed by policy restricted "
        "(/etc/stowage/policy.yaml); add it to allow.hostPaths, or allow it for this service "
        "under exceptions (rule hostPath)");
  CHECK(Check(td("/", true), Parse("allow: {hostPaths: [{path: /}]}\n")).empty());
}

TEST_CASE("restricted asks for a non-root user and a read-only root filesystem", "[policy]") {
  const Policy p = Parse("level: restricted\n");
  const char* td = R"(family: t
containerDefinitions:
  - name: c
    image: stowage/busybox:1
    memory: 64
    user: "0:0"
    readonlyRootFilesystem: false
    linuxParameters: {capabilities: {add: [CHOWN]}}
)";
  const std::string tail = " not allowed by policy restricted (/etc/stowage/policy.yaml); ";
  CHECK(Check(td, p) ==
        Lines{"td.yaml:6:11: error: user: \"0:0\"" + tail +
                  "set a non-root user, or allow it for this service under exceptions",
              "td.yaml:7:29: error: readonlyRootFilesystem: false" + tail +
                  "set it to true, or allow it for this service under exceptions",
              "td.yaml:8:43: error: linuxParameters.capabilities.add: CHOWN" + tail +
                  "add it to allow.capabilities, or allow it for this service under exceptions "
                  "(rule capabilities)"});
}

TEST_CASE("image and endpoint allow-lists", "[policy]") {
  const Policy p = Parse(R"(level: privileged
allow:
  images: ["registry.example.com/*", "docker.io/library/*"]
  endpoints: ["tcp://10.0.0.*:2376", "default"]
)");
  auto td = [](const std::string& image) {
    return "family: t\ncontainerDefinitions:\n  - name: c\n    image: " + image +
           "\n    memory: 64\n";
  };
  CHECK(Check(td("nginx:1.25"), p).empty());
  CHECK(Check(td("registry.example.com/team/app@sha256:abc"), p).empty());
  CHECK(Check(td("attacker.io/miner:latest"), p) ==
        Lines{"td.yaml:4:12: error: image: \"attacker.io/miner:latest\" not allowed by policy "
              "privileged (/etc/stowage/policy.yaml); add a pattern for it to allow.images, or "
              "allow it for this service under exceptions"});
  model::DesiredState state;
  model::Host ok, bad;
  ok.endpoint = "tcp://10.0.0.5:2376";
  bad.endpoint = "tcp://attacker:2375";
  bad.endpoint_position = Position{"cluster.yaml", 7, 15};
  state.cluster.hosts = {ok, bad};
  Diagnostics diags;
  CheckPolicy(state, p, diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(FormatDiagnostic(diags.items()[0]) ==
        "cluster.yaml:7:15: error: endpoint: \"tcp://attacker:2375\" not allowed by policy "
        "privileged (/etc/stowage/policy.yaml); add a pattern for it to allow.endpoints");
}

TEST_CASE("a broken policy file is a clear error at its place", "[policy]") {
  auto error = [](const std::string& text) {
    auto p = ParsePolicy("p.yaml", text);
    return p.ok() ? std::string("ok") : p.status().message();
  };
  CHECK(error("level: lenient\n") ==
        "invalid policy p.yaml\np.yaml:1:8: error: level: expected baseline, restricted or "
        "privileged, got "
        "\"lenient\"");
  CHECK(error("levle: baseline\n") ==
        "invalid policy p.yaml\np.yaml:1:1: error: unknown field \"levle\" (expected one of level, "
        "allow, "
        "exceptions)");
  CHECK(error("exceptions: [{service: a, allow: [priviledged]}]\n") ==
        "invalid policy p.yaml\np.yaml:1:35: error: exceptions: allow: unknown rule "
        "\"priviledged\" (expected "
        "privileged, capabilities, pidMode, ipcMode, networkMode, devices, "
        "dockerSecurityOptions, systemControls, hostPath, user, readonlyRootFilesystem, image or "
        "\"*\")");
  CHECK(error("allow: {hostPaths: [{path: var/log}]}\n") ==
        "invalid policy p.yaml\np.yaml:1:28: error: allow.hostPaths: path: expected an absolute "
        "path, got "
        "\"var/log\"");
  CHECK(error("level: [\n").rfind("invalid policy p.yaml\np.yaml:", 0) == 0);
  CHECK(LoadPolicy("/nonexistent/policy.yaml").status().message() ==
        "policy /nonexistent/policy.yaml: cannot read (not a regular file)");
}

TEST_CASE("glob patterns", "[policy]") {
  CHECK(GlobMatch("*", ""));
  CHECK(GlobMatch("registry.example.com/*", "registry.example.com/a/b"));
  CHECK_FALSE(GlobMatch("registry.example.com/*", "registry.example.com.evil/a"));
  CHECK(GlobMatch("tcp://10.0.0.?:2376", "tcp://10.0.0.5:2376"));
  CHECK_FALSE(GlobMatch("tcp://10.0.0.?:2376", "tcp://10.0.0.55:2376"));
}

}  // namespace stowage::policy
