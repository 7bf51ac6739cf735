// Notifier: delivers release events to --notify URLs without ever holding up
// a deployment.
//
// Publish() only queues (bounded: the oldest undelivered event is dropped
// when full). A background thread POSTs each event to every URL, signed with
// HMAC-SHA256 over the body in X-Stowage-Signature-256 ("sha256=<hex>") when a
// secret is set ($STOWAGE_NOTIFY_SECRET), and retries a failure (connection
// error, 5xx, 429) with exponential backoff, a bounded number of times. Flush()
// waits, up to a deadline, for what is queued (the CLI calls it before exit).
// The transport is a Sender (notify/http/ implements it with libcurl), so the
// core stays free of HTTP and tests use a double.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "notify/event.h"

namespace stowage::notify {

// POSTs `body` (application/json) with extra headers; the HTTP status, or an
// error value when no answer came (connection refused, timeout).
using Sender = std::function<Result<int>(const std::string& url, const std::string& body,
                                         const std::map<std::string, std::string>& headers)>;

struct NotifierOptions {
  std::vector<std::string> urls;
  std::string secret;  // empty: unsigned
  int attempts = 5;    // per event and URL
  std::chrono::milliseconds first_backoff{500};
  std::chrono::milliseconds max_backoff{8000};
  std::size_t max_queued = 100;
};

class Notifier {
 public:
  Notifier(NotifierOptions options, Sender sender);
  ~Notifier();  // stops at once: what is still queued is dropped (call Flush first)
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  void Publish(const ReleaseEvent& event);
  // Waits until everything queued is delivered or given up, or `deadline` passed.
  void Flush(std::chrono::milliseconds deadline);

 private:
  void Run();
  void Deliver(const std::string& body);

  NotifierOptions options_;
  Sender sender_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool busy_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace stowage::notify
