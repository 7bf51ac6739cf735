// Local sockets: asking whatever listens on a unix socket of this machine.
//
// The ssh transport listens on local sockets (a master's control socket, its
// forwards, the dial-stdio listeners): whether something answers there, and
// what, is how stowage tells a working forward from one the server refused.
#pragma once

#include <cstddef>
#include <string>

namespace stowage::runtime::ssh {

// A connected stream to the unix socket `path` (close it), -1 when nothing listens.
int ConnectLocalSocket(const std::string& path);

// Sends `request` (when not empty) on the stream `fd`, then reads until the
// peer closes, `limit` bytes or 10 s pass; closes `fd`. What came back.
std::string Exchange(int fd, const std::string& request, std::size_t limit);

// Exchange on a new connection to `path`; "" when nothing listens.
std::string AskLocalSocket(const std::string& path, const std::string& request, std::size_t limit);

}  // namespace stowage::runtime::ssh
