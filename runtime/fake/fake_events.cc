// Event streams, label matching and the inspect document of the fake engine.
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "runtime/fake/fake_state.h"

namespace stowage::runtime::fake {

bool MatchesLabels(const Labels& labels, const Labels& filter) {
  for (const auto& [key, value] : filter) {
    auto it = labels.find(key);
    if (it == labels.end()) return false;
    if (!value.empty() && it->second != value) return false;
  }
  return true;
}

std::string FormatRfc3339(std::int64_t unix_ns) {
  std::time_t secs = static_cast<std::time_t>(unix_ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%09lldZ", date,
                static_cast<long long>(unix_ns % 1'000'000'000));
  return out;
}

std::string InspectJson(const FakeContainer& c) {
  using nlohmann::json;
  json port_bindings = json::object();
  for (const auto& p : c.spec.ports) {
    std::string key = std::to_string(p.container_port) + "/" + p.protocol;
    port_bindings[key].push_back(
        {{"HostIp", ""}, {"HostPort", p.host_port == 0 ? "" : std::to_string(p.host_port)}});
  }
  json state = {{"Status", ContainerStateName(c.summary.state)},
                {"Running", c.summary.state == ContainerState::kRunning},
                {"ExitCode", c.summary.exit_code.value_or(0)},
                {"StartedAt", c.started_at},
                {"FinishedAt", c.finished_at}};
  if (c.spec.healthcheck) state["Health"] = {{"Status", HealthName(c.summary.health)}};
  json doc = {{"Id", c.summary.id},
              {"Name", "/" + c.summary.name},
              {"Config",
               {{"Image", c.spec.image},
                {"Cmd", c.spec.cmd},
                {"Entrypoint", c.spec.entrypoint},
                {"Env", c.spec.env},
                {"WorkingDir", c.spec.working_dir},
                {"User", c.spec.user},
                {"Hostname", c.spec.hostname},
                {"Labels", c.summary.labels}}},
              {"HostConfig",
               {{"CpuShares", c.spec.cpu_shares},
                {"Memory", c.spec.memory_bytes},
                {"MemoryReservation", c.spec.memory_reservation_bytes},
                {"NetworkMode", c.spec.network_mode},
                {"PortBindings", port_bindings},
                {"Privileged", c.spec.privileged},
                {"ReadonlyRootfs", c.spec.readonly_rootfs},
                {"RestartPolicy", {{"Name", c.restart_policy}}}}},
              {"State", state}};
  return doc.dump();
}

namespace {

class FakeEventStream : public EventStream {
 public:
  FakeEventStream(std::shared_ptr<FakeEngine::State> state, Labels filter)
      : state_(std::move(state)), filter_(std::move(filter)) {
    std::lock_guard lock(state_->mu);
    cursor_ = state_->events.size();
  }

  Result<std::optional<ContainerEvent>> Next(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(state_->mu);
    std::optional<ContainerEvent> found;
    auto ready = [&] {
      if (state_->unreachable || state_->closed) return true;
      while (cursor_ < state_->events.size()) {
        const ContainerEvent& e = state_->events[cursor_++];
        if (MatchesLabels(e.labels, filter_)) {
          found = e;
          return true;
        }
      }
      return false;
    };
    state_->cv.wait_for(lock, timeout, ready);
    if (found) return found;
    if (state_->unreachable) {
      return Status::Unreachable("fake engine " + state_->info.name + ": event stream lost");
    }
    if (state_->closed) return Status::Cancelled("fake engine closed");
    return std::optional<ContainerEvent>();
  }

 private:
  std::shared_ptr<FakeEngine::State> state_;
  Labels filter_;
  std::size_t cursor_ = 0;
};

}  // namespace

std::unique_ptr<EventStream> MakeEventStream(std::shared_ptr<FakeEngine::State> state,
                                             Labels filter) {
  return std::make_unique<FakeEventStream>(std::move(state), std::move(filter));
}

}  // namespace stowage::runtime::fake
