// Endpoint: the parsed form of a host's `endpoint` in the cluster file.
//
// Four spellings are accepted: `default` (DOCKER_HOST when set, else the
// local socket /var/run/docker.sock), `unix:///absolute/path.sock`,
// `tcp://HOST:PORT` (TLS when the host has a `tls:` block) and Docker's
// `ssh://[USER@]HOST[:PORT][/remote/docker.sock]` (the system ssh client runs
// `docker system dial-stdio` on the host). Parsing is pure (no environment, no
// I/O): validation reports a bad endpoint at its place, and the Docker runtime
// connects to what this returns. The parts of an ssh:// endpoint reach an ssh
// command line and a remote shell, so they are checked strictly: a user of
// letters, digits, '.', '_' and '-'; a host name or address that cannot be
// taken for an option; a socket path of plain characters.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace stowage::model {

struct Endpoint {
  enum class Kind { kDefault, kUnix, kTcp, kSsh };
  Kind kind = Kind::kDefault;
  std::string path;  // kUnix: the socket path; kSsh: the remote socket ("" = the host's default)
  std::string host;  // kTcp, kSsh: host name or address (IPv6 without brackets)
  int port = 0;      // kTcp; kSsh: 0 when not given
  std::string user;  // kSsh: "" when not given
};

// The user of an ssh:// endpoint or `ssh.user`: 1 to 32 letters, digits, '.',
// '_' or '-', not starting with '-' or '.'.
bool IsSafeSshUser(std::string_view user);

// Fails with Invalid and a message that completes "endpoint: ...", e.g.
// `expected unix:///PATH, tcp://HOST:PORT, ssh://[USER@]HOST or default, got "http://x"`.
Result<Endpoint> ParseEndpoint(std::string_view text);

}  // namespace stowage::model
