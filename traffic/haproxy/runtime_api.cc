#include "traffic/haproxy/runtime_api.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stowage::traffic::haproxy {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

// Waits until `fd` is ready for `events` or the deadline passes.
Status WaitFor(int fd, short events, Clock::time_point deadline, const std::string& what) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, MillisLeft(deadline));
    if (n > 0) return Status::Ok();
    if (n == 0) return Status::Timeout(what + ": no answer in time");
    if (errno != EINTR) return Status::Unreachable(what + ": " + std::strerror(errno));
  }
}

// A connected non-blocking socket, or why not.
Result<int> ConnectUnix(const std::string& path, const std::string& what) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) return Status::Invalid(what + ": socket path too long");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  // A local connect completes (or fails) at once: connect blocking, then work non-blocking.
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Unreachable(what + ": " + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    int err = errno;
    ::close(fd);
    return Status::Unreachable(what + ": " + std::strerror(err));
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

Result<int> ConnectTcp(const std::string& host, int port, Clock::time_point deadline,
                       const std::string& what) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    return Status::Unreachable(what + ": " + ::gai_strerror(rc));
  }
  std::string last = "no address";
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      ::freeaddrinfo(found);
      return fd;
    }
    if (errno == EINPROGRESS && WaitFor(fd, POLLOUT, deadline, what).ok()) {
      int err = 0;
      socklen_t len = sizeof(err);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) {
        ::freeaddrinfo(found);
        return fd;
      }
      last = std::strerror(err);
    } else {
      last = std::strerror(errno);
    }
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return Status::Unreachable(what + ": " + last);
}

Status WriteAll(int fd, const std::string& data, Clock::time_point deadline,
                const std::string& what) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (auto st = WaitFor(fd, POLLOUT, deadline, what); !st.ok()) return st;
      continue;
    }
    return Status::Unreachable(what + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::string> ReadAll(int fd, Clock::time_point deadline, const std::string& what) {
  std::string out;
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      if (out.size() > kMaxAnswerBytes) return Status::Invalid(what + ": answer too large");
      continue;
    }
    if (n == 0) return out;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      if (auto st = WaitFor(fd, POLLIN, deadline, what); !st.ok()) return st;
      continue;
    }
    return Status::Unreachable(what + ": " + std::strerror(errno));
  }
}

}  // namespace

std::string RuntimeApiClient::Describe() const {
  switch (address_.kind) {
    case model::RuntimeApiAddress::Kind::kUnix:
      return "unix://" + address_.path;
    case model::RuntimeApiAddress::Kind::kTcp:
      return "tcp://" + address_.host + ":" + std::to_string(address_.port);
    case model::RuntimeApiAddress::Kind::kSsh:
      break;
  }
  const bool v6 = address_.host.find(':') != std::string::npos;
  return "ssh://" + (address_.user.empty() ? "" : address_.user + "@") +
         (v6 ? "[" + address_.host + "]" : address_.host) +
         (address_.port == 0 ? "" : ":" + std::to_string(address_.port)) + address_.path;
}

Result<int> RuntimeApiClient::Connect(Clock::time_point deadline, const std::string& what) const {
  switch (address_.kind) {
    case model::RuntimeApiAddress::Kind::kUnix:
      return ConnectUnix(address_.path, what);
    case model::RuntimeApiAddress::Kind::kTcp:
      return ConnectTcp(address_.host, address_.port, deadline, what);
    case model::RuntimeApiAddress::Kind::kSsh:
      break;
  }
  if (!local_socket_) return Status::Internal(what + ": no ssh connection to reach it through");
  auto local = local_socket_();
  if (!local.ok()) return Status(local.status().code(), what + ": " + local.status().message());
  return ConnectUnix(*local, what);
}

Result<std::string> RuntimeApiClient::Send(const std::string& command) const {
  const std::string what = "HAProxy Runtime API " + Describe();
  if (command.find_first_of("\r\n") != std::string::npos) {
    return Status::Invalid(what + ": a command is one line");
  }
  const auto deadline = Clock::now() + timeout_;
  auto fd = Connect(deadline, what);
  if (!fd.ok()) return fd.status();
  Fd socket(*fd);
  if (auto st = WriteAll(socket.get(), command + "\n", deadline, what); !st.ok()) return st;
  ::shutdown(socket.get(), SHUT_WR);
  return ReadAll(socket.get(), deadline, what);
}

}  // namespace stowage::traffic::haproxy
