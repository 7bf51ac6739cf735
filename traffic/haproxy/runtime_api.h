// RuntimeApiClient: one command at a time to HAProxy's Runtime API (the stats socket).
//
// Each Send() connects (unix socket or tcp), writes one command line, reads
// the answer until HAProxy closes the connection (its non-interactive mode)
// and returns the text. Deadlines bound the connect and the whole exchange;
// an answer larger than kMaxAnswerBytes is an error (the balancer is a peer,
// not trusted to be small). An ssh:// address is reached through a local
// socket that an ssh master forwards to the host's (traffic/haproxy/ssh_forward.h). Transport
// failures are Status values: kUnreachable (no socket, refused), kTimeout.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/status.h"
#include "model/load_balancer.h"

namespace stowage::traffic::haproxy {

inline constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

// For an ssh:// address: the local socket that leads to the remote one (an
// ssh master's forward), made ready on each call.
using LocalSocket = std::function<Result<std::string>()>;

class RuntimeApiClient {
 public:
  explicit RuntimeApiClient(model::RuntimeApiAddress address,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10),
                            LocalSocket local_socket = nullptr)
      : address_(std::move(address)), timeout_(timeout), local_socket_(std::move(local_socket)) {}

  // `command` must be one line (no '\n'); the answer as HAProxy wrote it.
  Result<std::string> Send(const std::string& command) const;
  // "unix:///run/haproxy/admin.sock" / "tcp://127.0.0.1:9999" /
  // "ssh://deploy@web-3/run/haproxy/admin.sock", for messages.
  std::string Describe() const;

 private:
  Result<int> Connect(std::chrono::steady_clock::time_point deadline,
                      const std::string& what) const;

  model::RuntimeApiAddress address_;
  std::chrono::milliseconds timeout_;
  LocalSocket local_socket_;
};

}  // namespace stowage::traffic::haproxy
