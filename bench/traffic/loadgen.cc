// loadgen: a bounded HTTP load generator that counts every failure exactly.
//
//   loadgen --port P [--threads 4] [--while-file F] [--min N] [--max-seconds S]
//
// Each thread sends `GET / HTTP/1.0` over a new loopback connection, reads the
// answer to the end, and counts it: served (status 200), or failed (connect
// refused or reset, a status other than 200, no complete answer within 5 s).
// It runs while the file F exists and until at least N requests were made
// (at most S seconds), then prints one line:
//   requests=R served=S failed=F p50_ms=X p99_ms=Y max_ms=Z bodies=v1:N,v2:M
// bodies counts the first line of the served answers' bodies (the page says
// its version). Used by the traffic integration tests and bench/traffic.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Outcome {
  bool served = false;
  std::string body_line;
  double ms = 0;
};

Outcome One(int port) {
  Outcome out;
  const auto t0 = Clock::now();
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return out;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const char req[] = "GET / HTTP/1.0\r\nHost: loadgen\r\n\r\n";
    if (::send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof(req) - 1)) {
      char buf[4096];
      for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
        if (n > 0) {
          answer.append(buf, static_cast<size_t>(n));
          continue;
        }
        if (n < 0) answer.clear();  // reset or timeout: not a complete answer
        break;
      }
    }
  }
  ::close(fd);
  out.ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12 || answer.substr(9, 3) != "200") {
    return out;
  }
  auto body = answer.find("\r\n\r\n");
  if (body == std::string::npos) return out;
  out.served = true;
  out.body_line = answer.substr(body + 4, answer.find('\n', body + 4) - (body + 4));
  return out;
}

bool Exists(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0, threads = 4;
  long min_requests = 0;
  double max_seconds = 300;
  std::string while_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port")
      port = std::stoi(v);
    else if (k == "--threads")
      threads = std::stoi(v);
    else if (k == "--while-file")
      while_file = v;
    else if (k == "--min")
      min_requests = std::stol(v);
    else if (k == "--max-seconds")
      max_seconds = std::stod(v);
    else {
      std::fprintf(stderr, "loadgen: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (port <= 0) {
    std::fprintf(stderr,
                 "usage: loadgen --port P [--threads N] [--while-file F] [--min N] "
                 "[--max-seconds S]\n");
    return 2;
  }
  std::atomic<long> made{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<double> latencies;
  std::map<std::string, long> bodies;
  long served = 0, failed = 0;
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      while (!stop.load()) {
        Outcome o = One(port);
        ++made;
        std::lock_guard lock(mu);
        latencies.push_back(o.ms);
        if (o.served) {
          ++served;
          ++bodies[o.body_line];
        } else {
          ++failed;
        }
      }
    });
  }
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (elapsed >= max_seconds) break;
    if (!Exists(while_file) && made.load() >= min_requests) break;
  }
  stop = true;
  for (auto& t : pool) t.join();
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    if (latencies.empty()) return 0.0;
    size_t i = static_cast<size_t>(p * static_cast<double>(latencies.size() - 1));
    return latencies[i];
  };
  std::string b;
  for (const auto& [line, n] : bodies) b += (b.empty() ? "" : ",") + line + ":" + std::to_string(n);
  std::printf("requests=%ld served=%ld failed=%ld p50_ms=%.2f p99_ms=%.2f max_ms=%.2f bodies=%s\n",
              served + failed, served, failed, pct(0.5), pct(0.99),
              latencies.empty() ? 0.0 : latencies.back(), b.c_str());
  return 0;
}
