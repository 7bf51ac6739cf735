#include "runtime/docker/endpoint.h"

#include <cstdlib>

namespace stowage::runtime::docker {
namespace {

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

Result<Endpoint> ResolveEndpoint(const std::string& endpoint,
                                 const std::optional<model::TlsFiles>& tls, EnvLookup env) {
  if (env == nullptr) env = ProcessEnv;
  Endpoint ep;
  ep.tls = tls;
  std::string url = endpoint;
  if (url == "default") {
    url = env("DOCKER_HOST").value_or("unix:///var/run/docker.sock");
    auto cert_path = env("DOCKER_CERT_PATH");
    auto verify = env("DOCKER_TLS_VERIFY");
    if (!tls && (cert_path || verify) && StartsWith(url, "tcp://")) {
      std::string dir = cert_path.value_or(env("HOME").value_or("") + "/.docker");
      model::TlsFiles files;
      files.ca = dir + "/ca.pem";
      files.cert = dir + "/cert.pem";
      files.key = dir + "/key.pem";
      ep.tls = files;
      ep.verify_peer = verify.has_value() && *verify != "0";
    }
  }
  ep.url = url;
  if (StartsWith(url, "unix://")) {
    ep.unix_socket = url.substr(7);
    if (ep.unix_socket.empty()) return Status::Invalid("endpoint " + url + ": no socket path");
    ep.base_url = "http://localhost";
    ep.tls.reset();
    return ep;
  }
  if (StartsWith(url, "tcp://") || StartsWith(url, "http://") || StartsWith(url, "https://")) {
    std::string hostport = url.substr(url.find("://") + 3);
    while (!hostport.empty() && hostport.back() == '/') hostport.pop_back();
    if (hostport.empty()) return Status::Invalid("endpoint " + url + ": no host");
    bool https = ep.tls.has_value() || StartsWith(url, "https://");
    ep.base_url = (https ? "https://" : "http://") + hostport;
    return ep;
  }
  if (StartsWith(url, "ssh://")) {
    // ssh:// hosts are made by the factory (ssh_endpoint.h); DOCKER_HOST=ssh:// is not followed.
    return Status::Invalid("endpoint " + url +
                           ": DOCKER_HOST=ssh:// is not followed; list the host as ssh:// in the "
                           "cluster file");
  }
  return Status::Invalid("endpoint " + url +
                         ": expected unix://PATH, tcp://HOST:PORT, ssh://HOST or default");
}

}  // namespace stowage::runtime::docker
