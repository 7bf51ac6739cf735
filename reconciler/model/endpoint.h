// Endpoint: the parsed form of a host's `endpoint` in the cluster file.
//
// Three spellings are accepted: `default` (DOCKER_HOST when set, else the
// local socket /var/run/docker.sock), `unix:///absolute/path.sock` and
// `tcp://HOST:PORT` (TLS when the host has a `tls:` block). Parsing is pure
// (no environment, no I/O): validation reports a bad endpoint at its place,
// and the Docker runtime connects to what this returns.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace stowage::model {

struct Endpoint {
  enum class Kind { kDefault, kUnix, kTcp };
  Kind kind = Kind::kDefault;
  std::string path;  // kUnix: the socket path
  std::string host;  // kTcp: host name or address (IPv6 without brackets)
  int port = 0;      // kTcp
};

// Fails with Invalid and a message that completes "endpoint: ...", e.g.
// `expected unix:///PATH, tcp://HOST:PORT or default, got "http://x"`.
Result<Endpoint> ParseEndpoint(std::string_view text);

}  // namespace stowage::model
