#include "model/endpoint.h"

#include <charconv>

namespace stowage::model {
namespace {

constexpr std::string_view kUnix = "unix://";
constexpr std::string_view kTcp = "tcp://";

Status Expected(std::string_view text) {
  return Status::Invalid("expected unix:///PATH, tcp://HOST:PORT or default, got \"" +
                         std::string(text) + "\"");
}

Result<Endpoint> ParseTcp(std::string_view text) {
  std::string_view rest = text.substr(kTcp.size());
  std::string_view host;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {  // [::1]:2376
    auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      return Status::Invalid("expected tcp://HOST:PORT, got \"" + std::string(text) + "\"");
    }
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
      return Status::Invalid("expected tcp://HOST:PORT, got \"" + std::string(text) +
                             "\" (no port)");
    }
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty() || host.find_first_of("/ ") != std::string_view::npos) {
    return Status::Invalid("expected tcp://HOST:PORT, got \"" + std::string(text) + "\"");
  }
  int number = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (ec != std::errc() || end != port.data() + port.size() || port.empty() || number < 1 ||
      number > 65535) {
    return Status::Invalid("port \"" + std::string(port) + "\" of \"" + std::string(text) +
                           "\" is not a number from 1 to 65535");
  }
  Endpoint e;
  e.kind = Endpoint::Kind::kTcp;
  e.host = std::string(host);
  e.port = number;
  return e;
}

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view text) {
  if (text == "default") return Endpoint{};
  if (text.substr(0, kUnix.size()) == kUnix) {
    std::string_view path = text.substr(kUnix.size());
    if (path.empty() || path.front() != '/') {
      return Status::Invalid("expected unix:///ABSOLUTE/PATH, got \"" + std::string(text) + "\"");
    }
    Endpoint e;
    e.kind = Endpoint::Kind::kUnix;
    e.path = std::string(path);
    return e;
  }
  if (text.substr(0, kTcp.size()) == kTcp) return ParseTcp(text);
  return Expected(text);
}

}  // namespace stowage::model
