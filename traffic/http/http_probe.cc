#include "traffic/http/http_probe.h"

#include <httplib.h>

namespace stowage::traffic {

Status HttpProbe(const std::string& address, int port, const std::string& path,
                 std::chrono::milliseconds timeout) {
  const std::string host = address.find(':') != std::string::npos ? "[" + address + "]" : address;
  httplib::Client client(address, port);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_keep_alive(false);
  auto res = client.Get(path);
  const std::string what = "GET http://" + host + ":" + std::to_string(port) + path;
  if (!res) return Status::Unreachable(what + ": " + httplib::to_string(res.error()));
  if (res->status < 200 || res->status >= 400) {
    return Status::Unreachable(what + ": HTTP " + std::to_string(res->status));
  }
  return Status::Ok();
}

}  // namespace stowage::traffic
