#include "notify/http/curl_sender.h"

#include <curl/curl.h>

#include <memory>

namespace stowage::notify {
namespace {

std::size_t Discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

Result<int> Post(const std::string& url, const std::string& body,
                 const std::map<std::string, std::string>& headers, long timeout_ms) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Io("notify: cannot start libcurl");
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
  for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hold(list, curl_slist_free_all);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "stowage-notify/1");
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return Status::Unreachable(std::string("notify: ") + curl_easy_strerror(rc));
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  return static_cast<int>(code);
}

}  // namespace

Sender CurlSender(std::chrono::milliseconds timeout) {
  const long ms = static_cast<long>(timeout.count());
  return [ms](const std::string& url, const std::string& body,
              const std::map<std::string, std::string>& headers) {
    return Post(url, body, headers, ms);
  };
}

}  // namespace stowage::notify
