#include "runtime/docker/http_client.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>

namespace stowage::runtime::docker {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t AppendBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct StreamState {
  const std::function<bool(std::string_view)>* on_data;
  const std::function<bool()>* cancelled;
};

size_t StreamBody(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<StreamState*>(user);
  if (!(*st->on_data)(std::string_view(data, size * n))) return 0;
  return size * n;
}

int StreamProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* st = static_cast<StreamState*>(user);
  return (*st->cancelled)() ? 1 : 0;
}

// Frees a curl_slist on scope exit.
struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
};

}  // namespace

HttpClient::HttpClient(Endpoint endpoint, HttpOptions options)
    : endpoint_(std::move(endpoint)), options_(options) {
  GlobalInit();
  if (options_.max_in_flight < 1) options_.max_in_flight = 1;
  if (options_.max_waiting_in_flight < 1) options_.max_waiting_in_flight = 1;
}

HttpClient::~HttpClient() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

std::string HttpClient::Escape(std::string_view s) {
  std::string out;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void* HttpClient::Acquire(bool waits) {
  std::unique_lock lock(mu_);
  int& count = waits ? waiting_in_flight_ : in_flight_;
  const int bound = waits ? options_.max_waiting_in_flight : options_.max_in_flight;
  cv_.wait(lock, [&] { return count < bound; });
  ++count;
  if (!idle_.empty()) {
    void* h = idle_.back();
    idle_.pop_back();
    return h;
  }
  lock.unlock();
  return curl_easy_init();
}

void HttpClient::Release(void* handle, bool waits) {
  {
    std::lock_guard lock(mu_);
    --(waits ? waiting_in_flight_ : in_flight_);
    idle_.push_back(handle);
  }
  cv_.notify_all();  // waiters of both kinds share the condition
}

namespace {

// One TLS file: its contents when the loader read them from the source
// (CURLBLOB_COPY: libcurl keeps its own copy), else the path (the operator's
// DOCKER_CERT_PATH).
void SetTlsFile(CURL* c, CURLoption blob_option, CURLoption path_option, const std::string& pem,
                const std::string& path) {
  if (!pem.empty()) {
    curl_blob blob{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(c, blob_option, &blob);
  } else if (!path.empty()) {
    curl_easy_setopt(c, path_option, path.c_str());
  }
}

void SetTlsFiles(CURL* c, const model::TlsFiles& tls) {
  SetTlsFile(c, CURLOPT_CAINFO_BLOB, CURLOPT_CAINFO, tls.ca_pem, tls.ca);
  SetTlsFile(c, CURLOPT_SSLCERT_BLOB, CURLOPT_SSLCERT, tls.cert_pem, tls.cert);
  SetTlsFile(c, CURLOPT_SSLKEY_BLOB, CURLOPT_SSLKEY, tls.key_pem, tls.key);
}

}  // namespace

void HttpClient::Prepare(void* handle, const HttpRequest& request, void* header_list) const {
  CURL* c = static_cast<CURL*>(handle);
  curl_easy_reset(c);
  std::string url = endpoint_.base_url + request.path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  std::string socket =
      endpoint_.transport ? endpoint_.transport->SocketPath() : endpoint_.unix_socket;
  if (!socket.empty()) curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket.c_str());
  if (endpoint_.tls) {
    SetTlsFiles(c, *endpoint_.tls);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, endpoint_.verify_peer ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, endpoint_.verify_peer ? 2L : 0L);
  }
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "POST" || request.method == "PUT" || !request.body.empty()) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  }
  if (request.method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(header_list));
}

Status HttpClient::TransportError(int curl_code, const char* errbuf, long os_errno) const {
  auto code = static_cast<CURLcode>(curl_code);
  std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(code);
  std::string said = endpoint_.transport ? endpoint_.transport->TakeFailure() : "";
  if (!said.empty()) {
    detail = said;  // what ssh said says more than curl's view of a closed stream
  } else if (code == CURLE_COULDNT_CONNECT && !endpoint_.unix_socket.empty() &&
             !endpoint_.transport) {
    // curl names "localhost port 80" for unix sockets; say what failed instead.
    detail = "cannot connect to " + endpoint_.unix_socket +
             (os_errno != 0 ? ": " + std::string(std::strerror(static_cast<int>(os_errno))) : "");
  }
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Status::Timeout(endpoint_.url + ": " + detail);
    default:
      return Status::Unreachable(endpoint_.url + ": " + detail);
  }
}

namespace {
curl_slist* BuildHeaders(const HttpRequest& request) {
  curl_slist* list = nullptr;
  if (request.headers.count("Content-Type") == 0) {
    list = curl_slist_append(list, "Content-Type: application/json");
  }
  list = curl_slist_append(list, "Expect:");
  for (const auto& [k, v] : request.headers) {
    list = curl_slist_append(list, (k + ": " + v).c_str());
  }
  return list;
}
}  // namespace

Status HttpClient::TransportReady() const {
  if (!endpoint_.transport) return Status::Ok();
  auto st = endpoint_.transport->Ready();
  if (st.ok()) return st;
  return Status(st.code(), endpoint_.url + ": " + st.message());
}

Result<HttpResponse> HttpClient::Do(const HttpRequest& request) {
  if (auto st = TransportReady(); !st.ok()) return st;
  HeaderList headers{BuildHeaders(request)};
  void* handle = Acquire(request.waits);
  CURL* c = static_cast<CURL*>(handle);
  if (c == nullptr) {
    Release(handle, request.waits);
    return Status::Internal("curl_easy_init failed");
  }
  Prepare(handle, request, headers.list);
  auto timeout = request.timeout.count() > 0 ? request.timeout : options_.request_timeout;
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  HttpResponse response;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  long os_errno = 0;
  curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  Release(handle, request.waits);
  if (rc != CURLE_OK) return TransportError(rc, errbuf, os_errno);
  return response;
}

Result<long> HttpClient::Stream(const HttpRequest& request,
                                const std::function<bool(std::string_view)>& on_data,
                                const std::function<bool()>& cancelled) {
  if (auto st = TransportReady(); !st.ok()) return st;
  HeaderList headers{BuildHeaders(request)};
  CURL* c = curl_easy_init();
  if (c == nullptr) return Status::Internal("curl_easy_init failed");
  Prepare(c, request, headers.list);
  StreamState state{&on_data, &cancelled};
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, StreamBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, StreamProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &state);
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  long os_errno = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
  curl_easy_cleanup(c);
  if (rc == CURLE_ABORTED_BY_CALLBACK || rc == CURLE_WRITE_ERROR) {
    return Status::Cancelled(endpoint_.url + ": event stream closed");
  }
  if (rc != CURLE_OK) return TransportError(rc, errbuf, os_errno);
  return status;
}

}  // namespace stowage::runtime::docker
