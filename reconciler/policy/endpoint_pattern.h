// EndpointPattern: an `allow.endpoints` entry of the policy, matched against a
// host's parsed endpoint part by part, never as raw text.
//
// A pattern is spelled like an endpoint (`default`, `unix:///PATH`,
// `tcp://HOST[:PORT]`, `ssh://[USER@]HOST[:PORT][/PATH]`) with the globs '*'
// and '?'. Matching is on what the endpoint means, not how it is written: the
// scheme and the host are compared without case, a trailing '/' or '.' of the
// host is dropped, a missing port or user in the pattern means any, an ssh://
// endpoint without a port has port 22, and its user is the endpoint's, else
// the host's `ssh.user`. In a host a glob stays inside one label ('*' never
// matches '.'; a host of `*` alone allows any host), so `tcp://10.0.0.*:2376` allows 10.0.0.5 but
// not the DNS name 10.0.0.1.attacker.example; in a unix path it stays inside one component
// ('*' never matches '/'), and the path is compared after `.` and `..` are
// resolved.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "model/endpoint.h"

namespace stowage::policy {

struct EndpointPattern {
  model::Endpoint::Kind kind = model::Endpoint::Kind::kDefault;
  std::string user;  // ssh: "" = any user
  std::string host;  // tcp, ssh: lower case, without a trailing '.'
  std::string port;  // tcp, ssh: "" = any port
  std::string path;  // unix: the socket path; ssh: the remote socket, "" = any
};

// Fails with a message that completes "allow.endpoints: ...".
Result<EndpointPattern> ParseEndpointPattern(std::string_view text);

// Whether `endpoint` (of a host whose `ssh.user` is `ssh_user`) is allowed.
bool EndpointMatches(const EndpointPattern& pattern, const model::Endpoint& endpoint,
                     const std::string& ssh_user = "");

}  // namespace stowage::policy
