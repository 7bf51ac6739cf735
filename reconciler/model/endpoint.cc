#include "model/endpoint.h"

#include <charconv>
#include <optional>

namespace stowage::model {
namespace {

constexpr std::string_view kUnix = "unix://";
constexpr std::string_view kTcp = "tcp://";
constexpr std::string_view kSsh = "ssh://";

Status Expected(std::string_view text) {
  return Status::Invalid(
      "expected unix:///PATH, tcp://HOST:PORT, ssh://[USER@]HOST or default, got \"" +
      std::string(text) + "\"");
}

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A DNS name or IPv4 address: letters, digits, '.', '-', starting with a letter or digit.
bool IsSafeHostName(std::string_view host) {
  if (host.empty() || host.size() > 253 || !IsAlnum(host.front())) return false;
  for (char c : host) {
    if (!IsAlnum(c) && c != '.' && c != '-') return false;
  }
  return true;
}

// What is inside the brackets of an IPv6 address.
bool IsSafeIpv6(std::string_view host) {
  if (host.empty() || host.size() > 45) return false;
  for (char c : host) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != ':' && c != '.') return false;
  }
  return true;
}

// An absolute socket path of letters, digits and "/._+-", without "..".
bool IsSafeSocketPath(std::string_view path) {
  if (path.size() < 2 || path.front() != '/' || path.size() > 255) return false;
  for (char c : path) {
    if (!IsAlnum(c) && c != '/' && c != '.' && c != '_' && c != '-' && c != '+') return false;
  }
  return path.find("..") == std::string_view::npos;
}

// "1".."65535" or fails with a message naming `text`.
Result<int> ParsePort(std::string_view port, std::string_view text) {
  int number = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (ec != std::errc() || end != port.data() + port.size() || port.empty() || number < 1 ||
      number > 65535) {
    return Status::Invalid("port \"" + std::string(port) + "\" of \"" + std::string(text) +
                           "\" is not a number from 1 to 65535");
  }
  return number;
}

struct HostPort {
  std::string_view host;
  std::optional<std::string_view> port;
  bool bracketed = false;
};

// "host", "host:port", "[v6]" or "[v6]:port"; nullopt when malformed.
std::optional<HostPort> SplitHostPort(std::string_view rest) {
  HostPort hp;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    hp.host = rest.substr(1, close - 1);
    hp.bracketed = true;
    std::string_view after = rest.substr(close + 1);
    if (after.empty()) return hp;
    if (after.front() != ':') return std::nullopt;
    hp.port = after.substr(1);
    return hp;
  }
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) {
    hp.host = rest;
    return hp;
  }
  hp.host = rest.substr(0, colon);
  hp.port = rest.substr(colon + 1);
  return hp;
}

Result<Endpoint> ParseTcp(std::string_view text) {
  auto hp = SplitHostPort(text.substr(kTcp.size()));
  if (!hp || hp->host.empty() || hp->host.find_first_of("/ ") != std::string_view::npos) {
    return Status::Invalid("expected tcp://HOST:PORT, got \"" + std::string(text) + "\"");
  }
  if (!hp->port) {
    return Status::Invalid("expected tcp://HOST:PORT, got \"" + std::string(text) + "\" (no port)");
  }
  auto port = ParsePort(*hp->port, text);
  if (!port.ok()) return port.status();
  Endpoint e;
  e.kind = Endpoint::Kind::kTcp;
  e.host = std::string(hp->host);
  e.port = *port;
  return e;
}

Result<Endpoint> ParseSsh(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Status::Invalid("expected ssh://[USER@]HOST[:PORT][/SOCKET], got \"" +
                           std::string(text) + "\" (" + why + ")");
  };
  std::string_view rest = text.substr(kSsh.size());
  Endpoint e;
  e.kind = Endpoint::Kind::kSsh;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    e.path = std::string(rest.substr(slash));
    rest = rest.substr(0, slash);
    if (!IsSafeSocketPath(e.path)) {
      return bad("the socket path may hold only letters, digits and /._+-, without ..");
    }
  }
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    e.user = std::string(rest.substr(0, at));
    rest = rest.substr(at + 1);
    if (!IsSafeSshUser(e.user)) {
      return bad(
          "a user is 1 to 32 letters, digits, '.', '_' or '-', not starting with '-' or '.'");
    }
  }
  auto hp = SplitHostPort(rest);
  if (!hp) return bad("malformed host");
  bool host_ok = hp->bracketed ? IsSafeIpv6(hp->host) : IsSafeHostName(hp->host);
  if (!host_ok) {
    return bad(
        "a host is a name or address of letters, digits, '.' and '-', starting with a "
        "letter or digit");
  }
  e.host = std::string(hp->host);
  if (hp->port) {
    auto port = ParsePort(*hp->port, text);
    if (!port.ok()) return port.status();
    e.port = *port;
  }
  return e;
}

}  // namespace

bool IsSafeSshUser(std::string_view user) {
  if (user.empty() || user.size() > 32 || user.front() == '-' || user.front() == '.') {
    return false;
  }
  for (char c : user) {
    if (!IsAlnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

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
  if (text.substr(0, kSsh.size()) == kSsh) return ParseSsh(text);
  return Expected(text);
}

}  // namespace stowage::model
