// Endpoint: where a Docker engine listens and how to reach it.
//
// Turns a registered host's endpoint string ("unix:///path", "tcp://host:port",
// "default") and its TLS files into what the HTTP client needs. ssh://
// endpoints are made by the factory (ssh_endpoint.h): their HTTP goes to a
// local socket that a Transport forwards. "default" follows
// the docker CLI: DOCKER_HOST (else unix:///var/run/docker.sock), with TLS from
// DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem; default ~/.docker) when
// DOCKER_TLS_VERIFY or DOCKER_CERT_PATH is set.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "model/cluster.h"

namespace stowage::runtime::docker {

// What stands between the HTTP client and an engine reached through another
// program (ssh:// endpoints: the ssh master behind `unix_socket`).
class Transport {
 public:
  virtual ~Transport() = default;
  // Before each request: brings the transport up; kUnreachable when it cannot.
  virtual Status Ready() = 0;
  // After a transport error: what the transport said about it, "" if nothing.
  virtual std::string TakeFailure() = 0;
  // The local unix socket the HTTP goes to, as of the last Ready(): it may
  // change when the transport falls back to another way in.
  virtual std::string SocketPath() = 0;
};

struct Endpoint {
  std::string url;          // as given (after "default" is resolved), for messages
  std::string unix_socket;  // set for unix:// (ssh://: the transport's SocketPath)
  std::string base_url;     // "http://localhost" (unix), "http://h:p" or "https://h:p"
  std::optional<model::TlsFiles> tls;
  bool verify_peer = true;
  std::shared_ptr<Transport> transport;  // set for ssh://
};

// Environment lookups are injectable for tests; nullptr reads the process environment.
using EnvLookup = std::optional<std::string> (*)(const char* name);

Result<Endpoint> ResolveEndpoint(const std::string& endpoint,
                                 const std::optional<model::TlsFiles>& tls,
                                 EnvLookup env = nullptr);

}  // namespace stowage::runtime::docker
