#include "runtime/ssh/local_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace stowage::runtime::ssh {

int ConnectLocalSocket(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::string Exchange(int fd, const std::string& request, std::size_t limit) {
  bool ok = request.empty() || send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
                                   static_cast<ssize_t>(request.size());
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ok && got.size() < limit) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    char buf[512];
    ssize_t n = left.count() > 0 && poll(&p, 1, static_cast<int>(left.count())) == 1
                    ? read(fd, buf, sizeof buf)
                    : -1;
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return got;
}

std::string AskLocalSocket(const std::string& path, const std::string& request, std::size_t limit) {
  int fd = ConnectLocalSocket(path);
  return fd < 0 ? "" : Exchange(fd, request, limit);
}

}  // namespace stowage::runtime::ssh
