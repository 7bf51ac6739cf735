#include "notify/notifier.h"

#include <spdlog/spdlog.h>

#include "crypto/signature.h"

namespace stowage::notify {

Notifier::Notifier(NotifierOptions options, Sender sender)
    : options_(std::move(options)), sender_(std::move(sender)) {
  if (!options_.urls.empty()) thread_ = std::thread([this] { Run(); });
}

Notifier::~Notifier() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Notifier::Publish(const ReleaseEvent& event) {
  if (options_.urls.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= options_.max_queued) {
      spdlog::warn("notify: {} events waiting; the oldest is dropped", queue_.size());
      queue_.pop_front();
    }
    queue_.push_back(EventJson(event).dump());
  }
  cv_.notify_all();
}

void Notifier::Flush(std::chrono::milliseconds deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!cv_.wait_for(lock, deadline, [this] { return queue_.empty() && !busy_; })) {
    spdlog::warn("notify: {} event(s) not delivered within {} s; giving up",
                 queue_.size() + (busy_ ? 1 : 0),
                 std::chrono::duration_cast<std::chrono::seconds>(deadline).count());
  }
}

void Notifier::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    std::string body = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    Deliver(body);
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

// Every URL, each with its own retries; the waits between them end early on stop.
void Notifier::Deliver(const std::string& body) {
  std::map<std::string, std::string> headers;
  if (!options_.secret.empty()) {
    headers["X-Stowage-Signature-256"] = crypto::HubSignature(options_.secret, body);
  }
  for (const auto& url : options_.urls) {
    auto wait = options_.first_backoff;
    for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
      Result<int> sent = sender_(url, body, headers);
      const bool retry = !sent.ok() || *sent >= 500 || *sent == 429;
      if (sent.ok() && !retry) {
        if (*sent >= 400) spdlog::warn("notify: {} answered {}; not retried", url, *sent);
        break;
      }
      const std::string why = sent.ok() ? "HTTP " + std::to_string(*sent) : sent.status().message();
      if (attempt == options_.attempts) {
        spdlog::warn("notify: {} failed {} times ({}); event dropped", url, attempt, why);
        break;
      }
      spdlog::debug("notify: {}: {}; retry in {} ms", url, why, wait.count());
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, wait, [this] { return stop_; })) return;
      wait = std::min(wait * 2, options_.max_backoff);
    }
  }
}

}  // namespace stowage::notify
