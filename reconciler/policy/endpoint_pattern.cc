#include "policy/endpoint_pattern.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

#include "policy/policy.h"
#include "util/printable.h"

namespace stowage::policy {
namespace {

using Kind = model::Endpoint::Kind;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Lower case, without the trailing '.' of a fully qualified name.
std::string CanonicalHost(std::string_view host) {
  std::string out = Lower(host);
  if (out.size() > 1 && out.back() == '.') out.pop_back();
  return out;
}

std::string CanonicalPath(std::string_view path) {
  return std::filesystem::path(std::string(path)).lexically_normal().generic_string();
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// GlobMatch within each `sep`-separated part: a glob never crosses `sep`.
bool GlobWithin(std::string_view pattern, std::string_view text, char sep) {
  auto p = Split(pattern, sep), t = Split(text, sep);
  if (p.size() != t.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (!GlobMatch(p[i], t[i])) return false;
  }
  return true;
}

Status Bad(std::string_view text, const std::string& why) {
  return Status::Invalid(
      "expected default, unix:///PATH, tcp://HOST[:PORT] or ssh://[USER@]HOST[:PORT][/PATH] "
      "(globs * and ? allowed), got \"" +
      Printable(text) + "\"" + (why.empty() ? "" : " (" + why + ")"));
}

// HOST[:PORT] or [V6][:PORT] into `out`.
Status ReadHostPort(std::string_view text, std::string_view rest, EndpointPattern& out) {
  std::string_view host = rest, port;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return Bad(text, "no ] after an IPv6 address");
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() != ':') return Bad(text, "malformed host");
    if (!after.empty()) port = after.substr(1);
  } else if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) return Bad(text, "an empty port");
  }
  if (host.empty()) return Bad(text, "no host");
  if (!std::all_of(port.begin(), port.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '*' || c == '?';
      })) {
    return Bad(text, "a port is digits");
  }
  out.host = CanonicalHost(host);
  out.port = std::string(port);
  return Status::Ok();
}

}  // namespace

Result<EndpointPattern> ParseEndpointPattern(std::string_view text) {
  EndpointPattern out;
  if (Lower(text) == "default") return out;
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return Bad(text, "");
  const std::string scheme = Lower(text.substr(0, scheme_end));
  std::string_view rest = text.substr(scheme_end + 3);
  if (scheme == "unix") {
    if (rest.empty() || rest.front() != '/') return Bad(text, "the path must be absolute");
    out.kind = Kind::kUnix;
    out.path = CanonicalPath(rest);
    return out;
  }
  if (scheme != "tcp" && scheme != "ssh") return Bad(text, "");
  out.kind = scheme == "tcp" ? Kind::kTcp : Kind::kSsh;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    rest = rest.substr(0, slash);
    if (path != "/") {
      if (out.kind == Kind::kTcp) return Bad(text, "a tcp:// endpoint has no path");
      out.path = CanonicalPath(path);
    }
  }
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    if (out.kind == Kind::kTcp) return Bad(text, "a tcp:// endpoint has no user");
    out.user = std::string(rest.substr(0, at));
    if (out.user.empty()) return Bad(text, "an empty user");
    rest = rest.substr(at + 1);
  }
  if (Status s = ReadHostPort(text, rest, out); !s.ok()) return s;
  return out;
}

bool EndpointMatches(const EndpointPattern& pattern, const model::Endpoint& endpoint,
                     const std::string& ssh_user) {
  if (pattern.kind != endpoint.kind) return false;
  switch (endpoint.kind) {
    case Kind::kDefault:
      return true;
    case Kind::kUnix:
      return GlobWithin(pattern.path, CanonicalPath(endpoint.path), '/');
    case Kind::kTcp:
    case Kind::kSsh:
      break;
  }
  // A host of "*" alone allows every host; any other glob stays inside its label.
  if (pattern.host != "*" && !GlobWithin(pattern.host, CanonicalHost(endpoint.host), '.')) {
    return false;
  }
  const int port = endpoint.port == 0 && endpoint.kind == Kind::kSsh ? 22 : endpoint.port;
  if (!pattern.port.empty() && !GlobMatch(pattern.port, std::to_string(port))) return false;
  if (endpoint.kind == Kind::kTcp) return true;
  const std::string& user = endpoint.user.empty() ? ssh_user : endpoint.user;
  if (!pattern.user.empty() && !GlobMatch(pattern.user, user)) return false;
  return pattern.path.empty() || GlobWithin(pattern.path, CanonicalPath(endpoint.path), '/');
}

}  // namespace stowage::policy
