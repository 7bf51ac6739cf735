#include "runtime/docker/docker_runtime.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runtime/docker/engine_json.h"
#include "runtime/docker/event_stream.h"
#include "runtime/docker/registry_auth.h"

namespace stowage::runtime::docker {

using nlohmann::json;

std::optional<PullPolicy> ParsePullPolicy(const std::string& text) {
  if (text == "missing") return PullPolicy::kMissing;
  if (text == "always") return PullPolicy::kAlways;
  if (text == "never") return PullPolicy::kNever;
  return std::nullopt;
}

int CompareApiVersions(const std::string& a, const std::string& b) {
  int amaj = 0, amin = 0, bmaj = 0, bmin = 0;
  sscanf(a.c_str(), "%d.%d", &amaj, &amin);
  sscanf(b.c_str(), "%d.%d", &bmaj, &bmin);
  if (amaj != bmaj) return amaj < bmaj ? -1 : 1;
  if (amin != bmin) return amin < bmin ? -1 : 1;
  return 0;
}

DockerRuntime::DockerRuntime(Endpoint endpoint, DockerOptions options)
    : client_(std::make_shared<HttpClient>(std::move(endpoint), options.http)),
      options_(std::move(options)) {}

Result<std::string> DockerRuntime::ApiVersion() {
  std::lock_guard lock(version_mu_);
  if (!api_version_.empty()) return api_version_;
  auto r = client_->Do({"GET", "/version", "", {}, {}});
  if (!r.ok()) return r.status();
  // Whatever answers /version without an API version is not a Docker engine
  // (an HTTPS port spoken to in plain HTTP, another server): the host is
  // unreachable, as when nothing listens.
  if (r->status != 200) {
    return Status::Unreachable(endpoint().url + ": not a Docker engine: GET /version: HTTP " +
                               std::to_string(r->status) + ": " + EngineMessage(r->body));
  }
  json j = json::parse(r->body, nullptr, false);
  std::string engine = j.is_object() && j.contains("ApiVersion") && j["ApiVersion"].is_string()
                           ? j["ApiVersion"].get<std::string>()
                           : "";
  if (engine.empty()) {
    return Status::Unreachable(endpoint().url +
                               ": not a Docker engine: /version has no ApiVersion");
  }
  if (CompareApiVersions(engine, kMinApiVersion) < 0) {
    return Status::Engine(endpoint().url + ": engine API " + engine + " is older than " +
                          kMinApiVersion + ", the oldest stowage supports");
  }
  api_version_ = CompareApiVersions(engine, kMaxApiVersion) < 0 ? engine : kMaxApiVersion;
  return api_version_;
}

Result<HttpResponse> DockerRuntime::Call(const std::string& method, const std::string& path,
                                         const std::string& body, std::chrono::milliseconds timeout,
                                         const std::map<std::string, std::string>& headers) {
  return Call(HttpRequest{method, path, body, headers, timeout});
}

Result<HttpResponse> DockerRuntime::Send(HttpRequest req) {
  auto version = ApiVersion();
  if (!version.ok()) return version.status();
  req.path = "/v" + *version + req.path;
  return client_->Do(req);
}

Result<HttpResponse> DockerRuntime::Call(HttpRequest req) {
  const std::string method = req.method, path = req.path;
  auto r = Send(std::move(req));
  if (!r.ok()) return r.status();
  if (r->status < 400) return r;
  std::string msg = EngineMessage(r->body);
  switch (r->status) {
    case 404:
      return Status::NotFound(msg);
    case 409:
      return Status::Conflict(msg);
    default:
      return Status::Engine(endpoint().url + ": " + method + " " + path + ": HTTP " +
                            std::to_string(r->status) + ": " + msg);
  }
}

Result<HostInfo> DockerRuntime::Info() {
  auto r = Call("GET", "/info");
  if (!r.ok()) return r.status();
  auto info = ParseInfo(r->body);
  if (!info.ok()) return info.status();
  info->api_version = api_version_;
  return info;
}

Result<std::vector<ContainerSummary>> DockerRuntime::List(const Labels& filter) {
  auto r =
      Call("GET", "/containers/json?all=1&filters=" + HttpClient::Escape(LabelFilters(filter)));
  if (!r.ok()) return r.status();
  return ParseList(r->body);
}

Result<ContainerDetails> DockerRuntime::Inspect(const std::string& id_or_name) {
  auto r = Call("GET", "/containers/" + HttpClient::Escape(id_or_name) + "/json");
  if (!r.ok()) return r.status();
  return ParseInspect(r->body);
}

Result<std::string> DockerRuntime::Create(const ContainerSpec& spec) {
  std::string path = "/containers/create";
  if (!spec.name.empty()) path += "?name=" + HttpClient::Escape(spec.name);
  auto r = Call("POST", path, CreateBody(spec).dump());
  if (!r.ok()) return r.status();
  json j = json::parse(r->body, nullptr, false);
  if (!j.is_object() || !j.contains("Id") || !j["Id"].is_string()) {
    return Status::Engine(endpoint().url + ": create " + spec.name + ": no Id in " + r->body);
  }
  return j["Id"].get<std::string>();
}

Status DockerRuntime::Start(const std::string& id) {
  auto r = Call("POST", "/containers/" + HttpClient::Escape(id) + "/start");
  return r.ok() ? Status::Ok() : r.status();  // 304: already started
}

Status DockerRuntime::Stop(const std::string& id, std::chrono::seconds timeout) {
  auto budget = std::chrono::duration_cast<std::chrono::milliseconds>(timeout) +
                options_.http.request_timeout;
  HttpRequest req{
      "POST",
      "/containers/" + HttpClient::Escape(id) + "/stop?t=" + std::to_string(timeout.count()),
      "",
      {},
      budget};
  req.waits = true;  // waits out the stop timeout: never queued behind short calls
  auto r = Call(std::move(req));
  return r.ok() ? Status::Ok() : r.status();  // 304: already stopped
}

Result<bool> DockerRuntime::BeginStop(const std::string& id, std::chrono::seconds timeout,
                                      std::chrono::milliseconds wait) {
  HttpRequest req{
      "POST",
      "/containers/" + HttpClient::Escape(id) + "/stop?t=" + std::to_string(timeout.count()),
      "",
      {},
      std::max(wait, std::chrono::milliseconds(1))};
  req.waits = true;
  auto r = Call(std::move(req));
  if (r.ok()) return true;  // 204 stopped, 304 was stopped
  // No answer within `wait`: the engine has the request and finishes it on
  // its own (moby's containerStop ignores the request's cancellation).
  if (r.status().code() == Status::Code::kTimeout) return false;
  return r.status();
}

Status DockerRuntime::Rename(const std::string& id, const std::string& new_name) {
  auto r = Call("POST", "/containers/" + HttpClient::Escape(id) +
                            "/rename?name=" + HttpClient::Escape(new_name));
  return r.ok() ? Status::Ok() : r.status();
}

Status DockerRuntime::Remove(const std::string& id, bool force) {
  auto r = Call("DELETE", "/containers/" + HttpClient::Escape(id) + (force ? "?force=1" : ""));
  return r.ok() ? Status::Ok() : r.status();
}

namespace {

std::string ReadDockerConfig(const std::string& configured) {
  std::string path = configured;
  if (path.empty()) {
    const char* dir = std::getenv("DOCKER_CONFIG");
    const char* home = std::getenv("HOME");
    if (dir != nullptr && *dir != '\0') {
      path = std::string(dir) + "/config.json";
    } else if (home != nullptr && *home != '\0') {
      path = std::string(home) + "/.docker/config.json";
    } else {
      return "";
    }
  }
  std::ifstream in(path);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The pull endpoint answers 200 and reports failures inside its progress stream.
std::string PullStreamError(const std::string& body) {
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    json j = json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_string()) {
      return j["error"].get<std::string>();
    }
  }
  return "";
}

}  // namespace

Status DockerRuntime::Pull(const std::string& image,
                           const std::optional<PullCredentials>& credentials) {
  ImageRef ref = ParseImageRef(image);
  std::string path = "/images/create?fromImage=" + HttpClient::Escape(ref.repository);
  std::string tag = ref.digest.empty() ? ref.tag : ref.digest;
  if (!tag.empty()) path += "&tag=" + HttpClient::Escape(tag);
  std::map<std::string, std::string> headers;
  // ECS repositoryCredentials, when given, instead of Docker's config.
  Result<std::optional<std::string>> auth = std::optional<std::string>();
  if (credentials) {
    auth = std::optional<std::string>(AuthHeader(
        {credentials->username, credentials->password, "", ServerAddress(ref.registry)}));
  } else {
    auth = RegistryAuth(ReadDockerConfig(options_.docker_config_path), ref.registry);
  }
  if (!auth.ok()) {
    return Status(auth.status().code(),
                  endpoint().url + ": pull " + image + ": " + auth.status().message());
  }
  if (*auth) headers["X-Registry-Auth"] = **auth;
  HttpRequest req{"POST", path, "", headers, options_.pull_timeout};
  req.waits = true;
  auto r = Send(std::move(req));
  if (!r.ok()) return r.status();
  if (r->status >= 400) {  // the registry's refusal, as the engine words it
    std::string msg = "pull " + image + ": " + EngineMessage(r->body);
    return r->status == 404 ? Status::NotFound(msg) : Status::Engine(msg);
  }
  std::string err = PullStreamError(r->body);
  if (!err.empty()) return Status::Engine("pull " + image + ": " + err);
  return Status::Ok();
}

Status DockerRuntime::EnsureImage(const std::string& image,
                                  const std::optional<PullCredentials>& credentials) {
  if (options_.pull == PullPolicy::kAlways) return Pull(image, credentials);
  auto r = Call("GET", "/images/" + HttpClient::Escape(image) + "/json");
  if (r.ok()) return Status::Ok();
  if (r.status().code() != Status::Code::kNotFound) return r.status();
  if (options_.pull == PullPolicy::kNever) {
    return Status::NotFound(endpoint().url + ": image " + image +
                            " is not on the host, and --pull is never");
  }
  return Pull(image, credentials);
}

Status DockerRuntime::ImportImage(const std::string& image, const std::string& rootfs_tar) {
  auto r = Call("GET", "/images/" + HttpClient::Escape(image) + "/json");
  if (r.ok()) return Status::Ok();
  if (r.status().code() != Status::Code::kNotFound) return r.status();
  ImageRef ref = ParseImageRef(image);
  std::string path = "/images/create?fromSrc=-&repo=" + HttpClient::Escape(ref.repository);
  if (!ref.tag.empty()) path += "&tag=" + HttpClient::Escape(ref.tag);
  auto c = Send(HttpRequest{"POST", path, rootfs_tar, {{"Content-Type", "application/x-tar"}}});
  if (!c.ok()) return c.status();
  std::string err = c->status >= 400 ? EngineMessage(c->body) : PullStreamError(c->body);
  if (!err.empty()) return Status::Engine("import " + image + ": " + err);
  return Status::Ok();
}

Status DockerRuntime::EnsureVolume(const VolumeSpec& spec) {
  auto r = Call("GET", "/volumes/" + HttpClient::Escape(spec.name));
  if (r.ok()) return Status::Ok();
  if (r.status().code() != Status::Code::kNotFound) return r.status();
  json body = {{"Name", spec.name},
               {"Driver", spec.driver.empty() ? "local" : spec.driver},
               {"DriverOpts", spec.driver_opts},
               {"Labels", spec.labels}};
  auto c = Call("POST", "/volumes/create", body.dump());
  return c.ok() ? Status::Ok() : c.status();
}

Result<std::vector<std::string>> DockerRuntime::ListVolumes(const Labels& filter) {
  auto r = Call("GET", "/volumes?filters=" + HttpClient::Escape(LabelFilters(filter)));
  if (!r.ok()) return r.status();
  return ParseVolumeNames(r->body);
}

Status DockerRuntime::RemoveVolume(const std::string& name) {
  auto r = Call("DELETE", "/volumes/" + HttpClient::Escape(name));
  if (r.ok() || r.status().code() == Status::Code::kNotFound) return Status::Ok();
  return r.status();
}

Result<std::unique_ptr<EventStream>> DockerRuntime::Events(const Labels& filter) {
  auto version = ApiVersion();
  if (!version.ok()) return version.status();
  std::string path =
      "/v" + *version + "/events?filters=" + HttpClient::Escape(LabelFilters(filter, "container"));
  return std::unique_ptr<EventStream>(new DockerEventStream(client_, path));
}

Result<std::shared_ptr<Runtime>> DockerRuntimeFactory::Connect(const model::Host& host) {
  if (host.endpoint.rfind("ssh://", 0) == 0) {
    auto ep = ssh_->Resolve(host);
    if (!ep.ok()) return ep.status();
    return std::shared_ptr<Runtime>(std::make_shared<DockerRuntime>(std::move(*ep), options_));
  }
  auto ep = ResolveEndpoint(host.endpoint, host.tls);
  if (!ep.ok()) return Status(ep.status().code(), host.name + ": " + ep.status().message());
  return std::shared_ptr<Runtime>(std::make_shared<DockerRuntime>(std::move(*ep), options_));
}

}  // namespace stowage::runtime::docker
