// WatchServer: the watcher's HTTP endpoints (cpp-httplib), off unless --listen.
//
//   GET  /            the status page (server/status_page.h): HTML, read-only
//   GET  /ui/main     the page's <main> alone, with an ETag (the page's script polls it)
//   GET  /ui/FILE     the page's embedded CSS and JavaScript
//   GET  /healthz     200 "ok"
//   GET  /metrics     Prometheus text (watch/watch_state.h RenderMetrics)
//   GET  /status      the status document (JSON)
//   POST /hooks/git   fetch now; needs X-Hub-Signature-256 = HMAC-SHA256 of the
//                     body with the shared secret, else 401 and nothing happens
//
// The server runs on its own thread and only reads through the callbacks it
// is given, so it never blocks the reconcile loop. Every answer carries a
// Content-Security-Policy that lets the page load only its own files.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace httplib {
class Server;
}

namespace stowage::server {

struct Endpoints {
  std::function<std::string()> metrics;
  std::function<nlohmann::json()> status;  // the /status document
  std::function<void()> on_hook;           // a correctly signed POST /hooks/git arrived
  // Optional: changes whenever `status` would; the page's part is rendered once
  // per version (polls of an idle watcher cost neither a copy nor a render).
  std::function<std::uint64_t()> status_version;
};

// "PORT" or ":PORT" listen on 127.0.0.1; "HOST:PORT" on HOST ("[::1]:PORT" for IPv6).
struct ListenAddress {
  std::string host;
  int port = 0;
};
Result<ListenAddress> ParseListenAddress(const std::string& text);

class WatchServer {
 public:
  WatchServer(Endpoints endpoints, std::string hook_secret);
  ~WatchServer();
  WatchServer(const WatchServer&) = delete;
  WatchServer& operator=(const WatchServer&) = delete;

  // Binds (port 0: any free port) and serves on a background thread.
  Status Start(const ListenAddress& address);
  int port() const { return port_; }
  void Stop();

 private:
  Endpoints endpoints_;
  std::string hook_secret_;
  // RenderedMain: /ui/main's body and ETag for a status version.
  struct RenderedMain {
    std::string html;
    std::string etag;
  };
  RenderedMain Main();

  std::mutex main_mu_;
  std::uint64_t main_version_ = 0;
  bool main_cached_ = false;
  RenderedMain main_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace stowage::server
