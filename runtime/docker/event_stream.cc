#include "runtime/docker/event_stream.h"

#include "runtime/docker/engine_json.h"

namespace stowage::runtime::docker {

DockerEventStream::DockerEventStream(std::shared_ptr<HttpClient> client, std::string path)
    : client_(std::move(client)), path_(std::move(path)) {
  thread_ = std::thread([this] { Run(); });
}

DockerEventStream::~DockerEventStream() {
  {
    std::lock_guard lock(mu_);
    cancelled_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

bool DockerEventStream::OnData(std::string_view data) {
  std::lock_guard lock(mu_);
  if (cancelled_) return false;
  partial_.append(data);
  size_t start = 0;
  for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = partial_.substr(start, nl - start);
    if (line.empty()) continue;
    auto ev = ParseEvent(line);
    if (ev.ok() && ev->has_value()) queue_.push_back(std::move(**ev));
  }
  partial_.erase(0, start);
  cv_.notify_all();
  return true;
}

void DockerEventStream::Run() {
  HttpRequest req{"GET", path_, "", {}, {}};
  auto r = client_->Stream(
      req, [this](std::string_view d) { return OnData(d); },
      [this] {
        std::lock_guard lock(mu_);
        return cancelled_;
      });
  std::lock_guard lock(mu_);
  done_ = true;
  if (!r.ok()) {
    final_status_ = r.status();
  } else if (*r >= 400) {
    final_status_ =
        Status::Engine(client_->endpoint().url + ": GET /events: HTTP " + std::to_string(*r));
  } else {
    final_status_ = Status::Unreachable(client_->endpoint().url + ": event stream ended");
  }
  cv_.notify_all();
}

Result<std::optional<ContainerEvent>> DockerEventStream::Next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return !queue_.empty() || done_; });
  if (!queue_.empty()) {
    ContainerEvent e = std::move(queue_.front());
    queue_.pop_front();
    return std::optional<ContainerEvent>(std::move(e));
  }
  if (done_) return final_status_;
  return std::optional<ContainerEvent>();
}

}  // namespace stowage::runtime::docker
