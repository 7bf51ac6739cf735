// The real Docker engines of an integration test run, read from the environment.
//
// tests/integration/CMakeLists.txt (stowage_docker_test) starts three dockerd
// engines through tests/harness/engines.sh and passes them to every test as
// STOWAGE_TEST_ENGINES (comma- or semicolon-separated endpoint URLs) and
// STOWAGE_TEST_IMAGE. This header turns that into values and into registered
// hosts (model::Host) a test can hand to a RuntimeFactory or write into a
// cluster file. Header-only, so any test binary can include it.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "model/cluster.h"

namespace stowage::testing {

struct TestEngines {
  std::vector<std::string> endpoints;  // "unix:///tmp/stw-<hash>/e1.sock", ...
  std::string image;                   // "stowage/busybox:1"
  std::string root;                    // the harness root, "/tmp/stw-<hash>"
  std::string harness;                 // path of tests/harness/engines.sh
};

inline std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

// Splits on ',' and ';', dropping empty parts.
inline std::vector<std::string> SplitEndpoints(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',' || c == ';') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// The engines, or nullopt when the test does not run under the harness.
inline std::optional<TestEngines> TestEnginesFromEnv() {
  TestEngines e;
  e.endpoints = SplitEndpoints(EnvOr("STOWAGE_TEST_ENGINES", ""));
  if (e.endpoints.empty()) return std::nullopt;
  e.image = EnvOr("STOWAGE_TEST_IMAGE", "stowage/busybox:1");
  e.root = EnvOr("STOWAGE_TEST_ENGINES_ROOT", "");
  e.harness = EnvOr("STOWAGE_HARNESS", "");
  return e;
}

// A registered host named `name` on `endpoint`, as a cluster file would give it.
inline model::Host TestHost(const std::string& name, const std::string& endpoint) {
  model::Host h;
  h.name = name;
  h.endpoint = endpoint;
  h.attributes["zone"] = "test";
  return h;
}

// TLS files for a host, as a cluster file's `tls:` gives them.
inline model::TlsFiles TestTls(const std::string& ca, const std::string& cert,
                               const std::string& key) {
  model::TlsFiles t;
  t.ca = ca;
  t.cert = cert;
  t.key = key;
  return t;
}

}  // namespace stowage::testing
