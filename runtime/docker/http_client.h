// HttpClient: HTTP/1.1 to one Docker engine through libcurl.
//
// Owns a small pool of curl easy handles (so connections are reused) and bounds
// how many requests are in flight to its engine at once; requests beyond that
// wait. Requests that mostly wait on the engine (a stop waiting out its
// timeout, a pull) have a bound of their own, so they never hold up the
// short calls nor queue behind them. Different HttpClients (different hosts) are independent, so
// callers on different threads talk to different engines concurrently. Transport failures become
// Status values: kUnreachable (refused, no socket, TLS handshake refused), kTimeout (connect or
// request deadline). HTTP error codes are left to the caller, which knows what 404 or 409 mean for
// its call.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "runtime/docker/endpoint.h"

namespace stowage::runtime::docker {

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{60000};
  int max_in_flight = 8;           // short calls
  int max_waiting_in_flight = 64;  // requests marked `waits`
};

struct HttpRequest {
  std::string method = "GET";
  std::string path;  // "/v1.41/containers/json?all=1", already escaped
  std::string body;  // sent when not empty (or for POST); binary-safe
  // Content-Type defaults to application/json.
  std::map<std::string, std::string> headers;
  // 0: the client's request_timeout.
  std::chrono::milliseconds timeout{0};
  // Mostly waits on the engine (stop, pull): counted against max_waiting_in_flight.
  bool waits = false;
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

class HttpClient {
 public:
  HttpClient(Endpoint endpoint, HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<HttpResponse> Do(const HttpRequest& request);

  // Streams the response body to `on_data` until the engine closes it, on_data
  // returns false, or `cancelled` returns true (checked at least once a second).
  // No request timeout applies; the connect timeout does. Does not count against
  // max_in_flight (a stream lives long). Returns the HTTP status.
  Result<long> Stream(const HttpRequest& request,
                      const std::function<bool(std::string_view)>& on_data,
                      const std::function<bool()>& cancelled);

  const Endpoint& endpoint() const { return endpoint_; }
  // URL-escapes a query parameter value.
  static std::string Escape(std::string_view s);

 private:
  void* Acquire(bool waits);
  void Release(void* handle, bool waits);
  void Prepare(void* handle, const HttpRequest& request, void* header_list) const;
  Status TransportError(int curl_code, const char* errbuf, long os_errno) const;
  Status TransportReady() const;

  Endpoint endpoint_;
  HttpOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;
  int waiting_in_flight_ = 0;
  std::vector<void*> idle_;  // CURL* handles, kept for connection reuse
};

}  // namespace stowage::runtime::docker
