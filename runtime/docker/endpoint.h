// Endpoint: where a Docker engine listens and how to reach it.
//
// Turns a registered host's endpoint string ("unix:///path", "tcp://host:port",
// "default") and its TLS files into what the HTTP client needs. "default" follows
// the docker CLI: DOCKER_HOST (else unix:///var/run/docker.sock), with TLS from
// DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem; default ~/.docker) when
// DOCKER_TLS_VERIFY or DOCKER_CERT_PATH is set.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "model/cluster.h"

namespace stowage::runtime::docker {

struct Endpoint {
  std::string url;          // as given (after "default" is resolved), for messages
  std::string unix_socket;  // set for unix://
  std::string base_url;     // "http://localhost" (unix), "http://h:p" or "https://h:p"
  std::optional<model::TlsFiles> tls;
  bool verify_peer = true;
};

// Environment lookups are injectable for tests; nullptr reads the process environment.
using EnvLookup = std::optional<std::string> (*)(const char* name);

Result<Endpoint> ResolveEndpoint(const std::string& endpoint,
                                 const std::optional<model::TlsFiles>& tls,
                                 EnvLookup env = nullptr);

}  // namespace stowage::runtime::docker
