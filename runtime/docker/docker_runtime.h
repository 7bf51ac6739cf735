// DockerRuntime: the Runtime of one registered host, over the Docker Engine API.
//
// Speaks HTTP to dockerd through libcurl (unix sockets, tcp, tcp with TLS client
// certificates, ssh:// through `docker system dial-stdio`), negotiates the API version with each
// engine on first use (the lower of the engine's and kMaxApiVersion; engines older than
// kMinApiVersion are refused), bounds the calls in flight per host (HttpOptions::max_in_flight) and
// maps every failure to a Status: kUnreachable, kTimeout, kNotFound, kConflict,
// or kEngine with the engine's own message. DockerRuntimeFactory makes one per
// registered host; `default` endpoints honour DOCKER_HOST / DOCKER_CERT_PATH /
// DOCKER_TLS_VERIFY. The JSON mapping lives in engine_json.h.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "runtime/docker/endpoint.h"
#include "runtime/docker/http_client.h"
#include "runtime/docker/ssh_endpoint.h"
#include "runtime/runtime.h"

namespace stowage::runtime::docker {

inline constexpr const char* kMinApiVersion = "1.41";
inline constexpr const char* kMaxApiVersion = "1.43";

// When EnsureImage pulls (`--pull`, the ECS agent's ECS_IMAGE_PULL_BEHAVIOR):
// kMissing only an image the engine lacks, kAlways every time it is asked (once
// per host and image in an apply), kNever never (a missing image is an error).
enum class PullPolicy { kMissing, kAlways, kNever };

// "missing", "always", "never"; nullopt otherwise.
std::optional<PullPolicy> ParsePullPolicy(const std::string& text);

struct DockerOptions {
  HttpOptions http;
  std::chrono::milliseconds pull_timeout{600000};
  // Registry credentials (registry_auth.h: auths, credsStore, credHelpers);
  // empty: $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
  std::string docker_config_path;
  PullPolicy pull = PullPolicy::kMissing;
  // ssh:// endpoints: the operator's ssh client settings (--ssh-key).
  ssh::SshClientOptions ssh;
};

class DockerRuntime : public Runtime {
 public:
  DockerRuntime(Endpoint endpoint, DockerOptions options);

  Result<HostInfo> Info() override;
  Result<std::vector<ContainerSummary>> List(const Labels& filter) override;
  Result<ContainerDetails> Inspect(const std::string& id_or_name) override;
  Result<std::string> Create(const ContainerSpec& spec) override;
  Status Start(const std::string& id) override;
  Status Stop(const std::string& id, std::chrono::seconds timeout) override;
  Result<bool> BeginStop(const std::string& id, std::chrono::seconds timeout,
                         std::chrono::milliseconds wait) override;
  Status Rename(const std::string& id, const std::string& new_name) override;
  Status Remove(const std::string& id, bool force) override;
  Status EnsureImage(const std::string& image,
                     const std::optional<PullCredentials>& credentials = std::nullopt) override;
  Status ImportImage(const std::string& image, const std::string& rootfs_tar) override;
  Status EnsureVolume(const VolumeSpec& spec) override;
  Result<std::vector<std::string>> ListVolumes(const Labels& filter) override;
  Status RemoveVolume(const std::string& name) override;
  Result<std::unique_ptr<EventStream>> Events(const Labels& filter) override;

  // The negotiated API version ("1.41"), asking the engine on first use.
  Result<std::string> ApiVersion();
  const Endpoint& endpoint() const { return client_->endpoint(); }

 private:
  // Sends `method` on /v<api><path>; HTTP errors become Status values, where
  // `what` names the object for messages ("container web.app.1").
  Result<HttpResponse> Call(const std::string& method, const std::string& path,
                            const std::string& body = "", std::chrono::milliseconds timeout = {},
                            const std::map<std::string, std::string>& headers = {});
  // The same for a prepared request (its path without the /v<api> prefix).
  Result<HttpResponse> Call(HttpRequest request);
  // Sends a prepared request; only transport failures are Status values.
  Result<HttpResponse> Send(HttpRequest request);
  Status Pull(const std::string& image, const std::optional<PullCredentials>& credentials);

  std::shared_ptr<HttpClient> client_;
  DockerOptions options_;
  std::mutex version_mu_;
  std::string api_version_;  // empty until negotiated
};

// Compares "1.41"-style versions: <0, 0, >0.
int CompareApiVersions(const std::string& a, const std::string& b);

// Makes the runtimes of one command; ssh:// hosts share one master connection
// per target for as long as the factory (or a runtime it made) lives.
class DockerRuntimeFactory : public RuntimeFactory {
 public:
  explicit DockerRuntimeFactory(DockerOptions options = {})
      : options_(std::move(options)), ssh_(std::make_shared<SshEndpoints>(options_.ssh)) {}
  Result<std::shared_ptr<Runtime>> Connect(const model::Host& host) override;

 private:
  DockerOptions options_;
  std::shared_ptr<SshEndpoints> ssh_;
};

}  // namespace stowage::runtime::docker
