// Ssh: what a cluster file may say about reaching a host over ssh://.
//
// A host's `ssh:` block gives the login user, the port and a few client
// options, and its `hostKey:` pins the host's public key. Both come from the
// repository, so they are held to what cannot run code on the machine that
// runs stowage: options come from a short allow-list (SafeSshOptions), values
// are plain words, and a host key is one "TYPE BASE64" line of a known type.
// Identities (which key logs in) never come from here: they are the
// operator's (--ssh-key, the agent, ~/.ssh/config).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "diag/diagnostic.h"

namespace stowage::model {

struct SshSettings {
  std::string user;  // "" : the endpoint's, else the operator's ssh configuration
  int port = 0;      // 0 : the endpoint's, else 22 (or ~/.ssh/config)
  std::map<std::string, std::string> options;  // canonical option name -> value
  Position position;
  Position user_position;
  Position port_position;
  Position options_position;
};

// The options a cluster file may set, by their canonical spelling:
// AddressFamily, Compression, ConnectTimeout, ConnectionAttempts, IPQoS,
// ServerAliveCountMax, ServerAliveInterval, TCPKeepAlive.
const std::vector<std::string>& SafeSshOptions();

// The canonical spelling of an allowed option (ssh option names are not case
// sensitive), or "" when `name` is not on the list.
std::string CanonicalSshOption(std::string_view name);

// A value of 1 to 64 letters, digits, '.', '_', ':', ',', '+' or '-'.
bool IsSafeSshOptionValue(std::string_view value);

struct HostKey {
  std::string type;  // "ssh-ed25519"
  std::string key;   // the base64 blob
};

// "ssh-ed25519 AAAAC3Nz... [comment]": a known key type and a base64 blob
// (the comment is dropped). Fails with a message that completes "hostKey: ...".
Result<HostKey> ParseHostKey(std::string_view line);

}  // namespace stowage::model
