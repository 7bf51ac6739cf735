#include "recorded_engines.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runtime/docker/engine_json.h"

namespace stowage::bench {
namespace {

using nlohmann::json;

// The list entry's Status text, which carries health and exit code.
std::string StatusText(const runtime::ContainerSummary& c) {
  if (c.state == runtime::ContainerState::kExited) {
    return "Exited (" + std::to_string(c.exit_code.value_or(0)) + ") 2 minutes ago";
  }
  if (c.state != runtime::ContainerState::kRunning) return "Created";
  switch (c.health) {
    case runtime::Health::kHealthy:
      return "Up 5 minutes (healthy)";
    case runtime::Health::kUnhealthy:
      return "Up 5 minutes (unhealthy)";
    case runtime::Health::kStarting:
      return "Up 5 seconds (health: starting)";
    case runtime::Health::kNone:
      break;
  }
  return "Up 5 minutes";
}

json ListEntry(const runtime::ContainerSummary& c) {
  json ports = json::array();
  for (const auto& p : c.ports) {
    json port = {{"IP", "0.0.0.0"}, {"PrivatePort", p.container_port}, {"Type", p.protocol}};
    if (p.host_port > 0) port["PublicPort"] = p.host_port;
    ports.push_back(std::move(port));
  }
  return {{"Id", c.id},
          {"Names", json::array({"/" + c.name})},
          {"Image", c.image},
          {"Command", "/bin/sh"},
          {"Created", c.created},
          {"Ports", std::move(ports)},
          {"Labels", c.labels},
          {"State", runtime::ContainerStateName(c.state)},
          {"Status", StatusText(c)}};
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Unreachable("no recorded answer " + path.string());
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

class RecordedRuntime : public runtime::Runtime {
 public:
  RecordedRuntime(std::filesystem::path dir, std::string host)
      : dir_(std::move(dir)), host_(std::move(host)) {}

  Result<runtime::HostInfo> Info() override {
    auto body = ReadFile(dir_ / (host_ + ".info.json"));
    if (!body.ok()) return body.status();
    return runtime::docker::ParseInfo(*body);
  }
  Result<std::vector<runtime::ContainerSummary>> List(const runtime::Labels&) override {
    auto body = ReadFile(dir_ / (host_ + ".containers.json"));
    if (!body.ok()) return body.status();
    return runtime::docker::ParseList(*body);
  }
  Result<runtime::ContainerDetails> Inspect(const std::string&) override { return No(); }
  Result<std::string> Create(const runtime::ContainerSpec&) override { return No(); }
  Status Start(const std::string&) override { return No(); }
  Status Stop(const std::string&, std::chrono::seconds) override { return No(); }
  Result<bool> BeginStop(const std::string&, std::chrono::seconds,
                         std::chrono::milliseconds) override {
    return No();
  }
  Status Rename(const std::string&, const std::string&) override { return No(); }
  Status Remove(const std::string&, bool) override { return No(); }
  Status EnsureImage(const std::string&, const std::optional<runtime::PullCredentials>&) override {
    return No();
  }
  Status ImportImage(const std::string&, const std::string&) override { return No(); }
  Status EnsureVolume(const runtime::VolumeSpec&) override { return No(); }
  Result<std::vector<std::string>> ListVolumes(const runtime::Labels&) override { return No(); }
  Status RemoveVolume(const std::string&) override { return No(); }
  Result<std::unique_ptr<runtime::EventStream>> Events(const runtime::Labels&) override {
    return No();
  }

 private:
  static Status No() { return Status::Internal("recorded engines only answer Info and List"); }
  std::filesystem::path dir_;
  std::string host_;
};

class RecordedFactory : public runtime::RuntimeFactory {
 public:
  explicit RecordedFactory(std::filesystem::path dir) : dir_(std::move(dir)) {}
  Result<std::shared_ptr<runtime::Runtime>> Connect(const model::Host& host) override {
    return std::shared_ptr<runtime::Runtime>(std::make_shared<RecordedRuntime>(dir_, host.name));
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace

Status WriteEngineAnswers(const GeneratedSnapshot& snapshot, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Io("cannot create " + dir.string() + ": " + ec.message());
  for (const auto& h : snapshot.hosts) {
    json info = {{"Name", h.info.name}, {"ServerVersion", h.info.engine_version},
                 {"OSType", "linux"},   {"Architecture", "x86_64"},
                 {"NCPU", h.info.ncpu}, {"MemTotal", h.info.memory_bytes}};
    json list = json::array();
    for (const auto& c : h.containers) list.push_back(ListEntry(c));
    std::ofstream(dir / (h.host + ".info.json")) << info.dump();
    std::ofstream out(dir / (h.host + ".containers.json"));
    if (!(out << list.dump())) return Status::Io("cannot write " + h.host + ".containers.json");
  }
  return Status::Ok();
}

std::unique_ptr<runtime::RuntimeFactory> RecordedEngines(const std::filesystem::path& dir) {
  return std::make_unique<RecordedFactory>(dir);
}

}  // namespace stowage::bench
