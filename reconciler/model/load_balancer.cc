#include "model/load_balancer.h"

#include "model/cluster.h"
#include "model/endpoint.h"

namespace stowage::model {
namespace {

constexpr std::string_view kTargetGroupPart = ":targetgroup/";
constexpr std::string_view kSsh = "ssh://";

// ssh://[USER@]HOST[:PORT][/...] -> HOST (IPv6 without brackets).
std::string SshHost(std::string_view endpoint) {
  std::string_view rest = endpoint.substr(kSsh.size());
  rest = rest.substr(0, rest.find('/'));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    return std::string(rest.substr(1, close == std::string_view::npos ? close : close - 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

}  // namespace

std::string LoadBalancerBinding::TargetGroupName() const {
  if (target_group_arn.empty()) return load_balancer_name;
  auto at = target_group_arn.find(kTargetGroupPart);
  if (at == std::string::npos) return target_group_arn;
  std::string rest = target_group_arn.substr(at + kTargetGroupPart.size());
  return rest.substr(0, rest.find('/'));
}

Result<RuntimeApiAddress> ParseRuntimeApi(std::string_view text) {
  auto expected = [&] {
    return Status::Invalid(
        "expected unix:///PATH, tcp://HOST:PORT or ssh://[USER@]HOST/PATH, got \"" +
        std::string(text) + "\"");
  };
  if (text == "default") return expected();
  auto endpoint = ParseEndpoint(text);
  if (!endpoint.ok()) {
    if (text.rfind("unix://", 0) == 0 || text.rfind("tcp://", 0) == 0 || text.rfind(kSsh, 0) == 0) {
      return endpoint.status();
    }
    return expected();
  }
  RuntimeApiAddress out;
  switch (endpoint->kind) {
    case Endpoint::Kind::kUnix:
      out.path = endpoint->path;
      break;
    case Endpoint::Kind::kTcp:
      out.kind = RuntimeApiAddress::Kind::kTcp;
      out.host = endpoint->host;
      out.port = endpoint->port;
      break;
    case Endpoint::Kind::kSsh:
      if (endpoint->path.empty()) {
        return Status::Invalid(
            "an ssh:// runtimeApi names the socket on the host: "
            "ssh://[USER@]HOST[:PORT]/PATH, got \"" +
            std::string(text) + "\"");
      }
      out.kind = RuntimeApiAddress::Kind::kSsh;
      out.path = endpoint->path;
      out.host = endpoint->host;
      out.port = endpoint->port;
      out.user = endpoint->user;
      break;
    case Endpoint::Kind::kDefault:
      return expected();
  }
  return out;
}

const Host* RuntimeApiHost(const Cluster& cluster, const RuntimeApiAddress& address) {
  if (address.kind != RuntimeApiAddress::Kind::kSsh) return nullptr;
  for (const auto& host : cluster.hosts) {
    auto ep = ParseEndpoint(host.endpoint);
    if (ep.ok() && ep->kind == Endpoint::Kind::kSsh && ep->host == address.host &&
        ep->user == address.user && ep->port == address.port) {
      return &host;
    }
  }
  return nullptr;
}

std::string HostAddress(const Host& host) {
  if (!host.address.empty()) return host.address;
  std::string_view endpoint = host.endpoint;
  if (endpoint.substr(0, kSsh.size()) == kSsh) {
    std::string name = SshHost(endpoint);
    if (!name.empty()) return name;
  }
  auto parsed = ParseEndpoint(endpoint);
  if (parsed.ok() && parsed->kind == Endpoint::Kind::kTcp) return parsed->host;
  return "127.0.0.1";
}

}  // namespace stowage::model
