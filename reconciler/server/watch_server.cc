#include "server/watch_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "crypto/signature.h"
#include "server/status_page.h"

namespace stowage::server {

Result<ListenAddress> ParseListenAddress(const std::string& text) {
  ListenAddress out{"127.0.0.1", 0};
  std::string port = text;
  const auto colon = text.rfind(':');
  if (colon != std::string::npos) {
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    if (!host.empty()) out.host = host;
    port = text.substr(colon + 1);
  }
  try {
    std::size_t used = 0;
    const int n = std::stoi(port, &used);
    if (used != port.size() || n < 0 || n > 65535) throw std::out_of_range(port);
    out.port = n;
  } catch (const std::exception&) {
    return Status::Invalid("--listen: expected [HOST:]PORT, got \"" + text + "\"");
  }
  return out;
}

namespace {

// The page may load its own script and style and fetch from this server; nothing else.
const httplib::Headers& SecurityHeaders() {
  static const httplib::Headers kHeaders = {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"}};
  return kHeaders;
}

std::string ContentType(const std::string& file) {
  if (file.ends_with(".css")) return "text/css; charset=utf-8";
  if (file.ends_with(".js")) return "text/javascript; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

WatchServer::WatchServer(Endpoints endpoints, std::string hook_secret)
    : endpoints_(std::move(endpoints)),
      hook_secret_(std::move(hook_secret)),
      http_(std::make_unique<httplib::Server>()) {
  http_->set_default_headers(SecurityHeaders());
  http_->Get("/", [this](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content(RenderStatusPage(endpoints_.status()), "text/html; charset=utf-8");
  });
  http_->Get("/ui/main", [this](const httplib::Request& req, httplib::Response& res) {
    const RenderedMain main = Main();
    res.set_header("Cache-Control", "no-cache");
    res.set_header("ETag", main.etag);
    if (req.get_header_value("If-None-Match") == main.etag) {
      res.status = 304;
      return;
    }
    res.set_content(main.html, "text/html; charset=utf-8");
  });
  http_->Get(R"(/ui/([a-z]+\.(css|js)))", [](const httplib::Request& req, httplib::Response& res) {
    const auto& assets = ui::Assets();
    const auto it = assets.find(req.matches[1].str());
    if (it == assets.end()) {
      res.status = 404;
      return;
    }
    res.set_header("Cache-Control", "no-cache");
    res.set_content(it->second, ContentType(it->first));
  });
  http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(endpoints_.metrics(), "text/plain; version=0.0.4");
  });
  http_->Get("/status", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(endpoints_.status().dump(2) + "\n", "application/json");
  });
  http_->Post("/hooks/git", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string signature = req.get_header_value("X-Hub-Signature-256");
    if (!crypto::VerifyHubSignature(hook_secret_, req.body, signature)) {
      spdlog::warn("webhook from {} rejected: {}", req.remote_addr,
                   hook_secret_.empty() ? "no secret configured (STOWAGE_WEBHOOK_SECRET)"
                   : signature.empty()  ? "missing X-Hub-Signature-256"
                                        : "bad signature");
      res.status = 401;
      res.set_content("bad or missing signature\n", "text/plain");
      return;
    }
    spdlog::info("webhook from {}: fetching now", req.remote_addr);
    endpoints_.on_hook();
    res.status = 202;
    res.set_content("fetching\n", "text/plain");
  });
}

WatchServer::~WatchServer() { Stop(); }

WatchServer::RenderedMain WatchServer::Main() {
  std::lock_guard<std::mutex> lock(main_mu_);
  if (endpoints_.status_version) {
    const std::uint64_t version = endpoints_.status_version();
    if (main_cached_ && version == main_version_) return main_;
    main_version_ = version;
    main_cached_ = true;
  }
  main_.html = RenderStatusMain(endpoints_.status());
  main_.etag = "\"" + std::to_string(std::hash<std::string>{}(main_.html)) + "\"";
  return main_;
}

Status WatchServer::Start(const ListenAddress& address) {
  port_ = address.port == 0 ? http_->bind_to_any_port(address.host)
                            : (http_->bind_to_port(address.host, address.port) ? address.port : -1);
  if (port_ < 0) {
    return Status::Io("cannot listen on " + address.host + ":" + std::to_string(address.port));
  }
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  spdlog::info("listening on http://{}:{}", address.host, port_);
  return Status::Ok();
}

void WatchServer::Stop() {
  if (!thread_.joinable()) return;
  http_->stop();
  thread_.join();
}

}  // namespace stowage::server
