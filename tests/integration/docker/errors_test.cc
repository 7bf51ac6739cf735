// Engines that cannot be reached: a missing unix socket, a refused TCP port, an
// engine that never answers, and a TLS engine reached with and without client
// certificates. Each error comes back as the right Status within the timeout.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "runtime_fixture.h"

namespace stowage::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A listening TCP socket on 127.0.0.1 that never accepts; its port.
struct SilentListener {
  int fd = -1;
  int port = 0;
  SilentListener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(listen(fd, 16) == 0);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~SilentListener() { close(fd); }
};

int FreePort() {
  SilentListener l;
  return l.port;  // closed on return: connecting to it is refused
}

// A refused or missing endpoint must fail at once, not after these timeouts:
// the tests below allow half of them, a margin that holds on a loaded machine.
constexpr auto kConnectTimeout = 8000ms;
constexpr auto kRequestTimeout = 10000ms;
constexpr auto kFailsAtOnce = 4000ms;

runtime::docker::DockerOptions Options(std::chrono::milliseconds request_timeout) {
  runtime::docker::DockerOptions o;
  o.http.connect_timeout = std::min(kConnectTimeout, request_timeout);
  o.http.request_timeout = request_timeout;
  return o;
}

std::shared_ptr<runtime::Runtime> Connect(const std::string& endpoint,
                                          std::optional<model::TlsFiles> tls = std::nullopt,
                                          std::chrono::milliseconds timeout = kRequestTimeout) {
  runtime::docker::DockerRuntimeFactory factory(Options(timeout));
  model::Host h = TestHost("h", endpoint);
  h.tls = tls;
  auto rt = factory.Connect(h);
  REQUIRE(rt.ok());
  return *rt;
}

TEST_CASE("a missing unix socket is unreachable", "[docker][errors]") {
  auto rt = Connect("unix:///tmp/stowage-no-such-engine.sock");
  auto t0 = Clock::now();
  auto info = rt->Info();
  REQUIRE_FALSE(info.ok());
  CHECK(info.status().code() == Status::Code::kUnreachable);
  CHECK(info.status().message() ==
        "unix:///tmp/stowage-no-such-engine.sock: cannot connect to "
        "/tmp/stowage-no-such-engine.sock: No such file or directory");
  CHECK(Clock::now() - t0 < kFailsAtOnce);
  auto list = rt->List({{"io.stowage.cluster", "x"}});
  CHECK(list.status().code() == Status::Code::kUnreachable);
}

TEST_CASE("a refused TCP port is unreachable", "[docker][errors]") {
  std::string ep = "tcp://127.0.0.1:" + std::to_string(FreePort());
  auto rt = Connect(ep);
  auto t0 = Clock::now();
  auto info = rt->Info();
  REQUIRE_FALSE(info.ok());
  CHECK(info.status().code() == Status::Code::kUnreachable);
  CHECK(info.status().message().rfind(ep + ": ", 0) == 0);
  CHECK(info.status().message().find("Failed to connect to 127.0.0.1 port") != std::string::npos);
  CHECK(Clock::now() - t0 < kFailsAtOnce);
}

TEST_CASE("an engine that never answers times out", "[docker][errors]") {
  SilentListener silent;
  auto rt = Connect("tcp://127.0.0.1:" + std::to_string(silent.port), std::nullopt, 1500ms);
  auto t0 = Clock::now();
  auto info = rt->Info();
  auto took = Clock::now() - t0;
  REQUIRE_FALSE(info.ok());
  CHECK(info.status().code() == Status::Code::kTimeout);
  CHECK(took >= 1400ms);  // waited for the request timeout ...
  CHECK(took < 8s);       // ... and not much longer
}

TEST_CASE("unsupported endpoints are invalid", "[docker][errors]") {
  runtime::docker::DockerRuntimeFactory factory;
  auto rt = factory.Connect(TestHost("far", "ftp://admin@far"));
  REQUIRE_FALSE(rt.ok());
  CHECK(rt.status().code() == Status::Code::kInvalid);
  CHECK(rt.status().message() ==
        "far: endpoint ftp://admin@far: expected unix://PATH, tcp://HOST:PORT, ssh://HOST or "
        "default");
  auto smuggled = factory.Connect(TestHost("far", "ssh://-oProxyCommand=id"));
  REQUIRE_FALSE(smuggled.ok());
  CHECK(smuggled.status().code() == Status::Code::kInvalid);
}

int Sh(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  INFO(cmd);
  return rc;
}

// A dockerd started for this test alone, with --tlsverify on 127.0.0.1.
struct TlsEngine {
  std::string root = "/tmp/stw-tls-" + std::to_string(getpid());
  std::string certs = root + "-certs";
  int port = FreePort();
  std::string harness;
  explicit TlsEngine(const std::string& h) : harness(h) {
    std::string c = certs;
    std::string script =
        "set -e; mkdir -p " + c + " && cd " + c +
        " && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=stowage-ca"
        " -keyout ca-key.pem -out ca.pem 2>/dev/null"
        " && openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server-key.pem"
        " -out server.csr 2>/dev/null"
        " && printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext"
        " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial"
        " -days 1 -extfile server.ext -out server-cert.pem 2>/dev/null"
        " && openssl req -newkey rsa:2048 -nodes -subj /CN=client -keyout key.pem -out client.csr"
        " 2>/dev/null"
        " && printf 'extendedKeyUsage=clientAuth\\n' > client.ext"
        " && openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial"
        " -days 1 -extfile client.ext -out cert.pem 2>/dev/null";
    REQUIRE(Sh("sh -c '" + Escape(script) + "'") == 0);
    REQUIRE(Sh(harness + " start 1 " + root + " -H tcp://127.0.0.1:" + std::to_string(port) +
               " --tlsverify --tlscacert " + c + "/ca.pem --tlscert " + c +
               "/server-cert.pem --tlskey " + c + "/server-key.pem") == 0);
  }
  ~TlsEngine() {
    std::system((harness + " stop " + root).c_str());
    std::system(("rm -rf " + certs).c_str());
  }
  static std::string Escape(const std::string& s) {
    std::string out;
    for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out;
  }
};

TEST_CASE("a TLS engine answers with client certificates and refuses without", "[docker][tls]") {
  auto env = TestEnginesFromEnv();
  REQUIRE(env.has_value());
  REQUIRE_FALSE(env->harness.empty());
  TlsEngine engine(env->harness);
  std::string ep = "tcp://127.0.0.1:" + std::to_string(engine.port);

  auto with = Connect(
      ep, TestTls(engine.certs + "/ca.pem", engine.certs + "/cert.pem", engine.certs + "/key.pem"));
  auto info = with->Info();
  INFO(info.status().ToString());
  REQUIRE(info.ok());
  CHECK(info->api_version == "1.41");

  auto without = Connect(ep, TestTls(engine.certs + "/ca.pem", "", ""));
  auto refused = without->Info();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kUnreachable);
  CHECK(refused.status().message().rfind(ep + ": ", 0) == 0);

  // No TLS at all: the engine answers HTTP with 400. Not the Engine API: the
  // host is unreachable (reported and skipped), not an error that stops an apply.
  auto plain = Connect(ep);
  auto bad = plain->Info();
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Status::Code::kUnreachable);
  CHECK(bad.status().message() == ep + ": not a Docker engine: GET /version: HTTP 400: Client "
                                       "sent an HTTP request to an HTTPS server.");

  // DOCKER_HOST / DOCKER_CERT_PATH / DOCKER_TLS_VERIFY for the endpoint "default".
  setenv("DOCKER_HOST", ep.c_str(), 1);
  setenv("DOCKER_CERT_PATH", engine.certs.c_str(), 1);
  setenv("DOCKER_TLS_VERIFY", "1", 1);
  auto by_env = Connect("default");
  auto info2 = by_env->Info();
  unsetenv("DOCKER_HOST");
  unsetenv("DOCKER_CERT_PATH");
  unsetenv("DOCKER_TLS_VERIFY");
  INFO(info2.status().ToString());
  CHECK(info2.ok());

  // The material a cluster file names is read through the source and handed
  // over in memory: the paths need not exist where stowage runs.
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  model::TlsFiles in_memory = TestTls("certs/ca.pem", "certs/cert.pem", "certs/key.pem");
  in_memory.ca_pem = slurp(engine.certs + "/ca.pem");
  in_memory.cert_pem = slurp(engine.certs + "/cert.pem");
  in_memory.key_pem = slurp(engine.certs + "/key.pem");
  auto from_memory = Connect(ep, in_memory)->Info();
  INFO(from_memory.status().ToString());
  CHECK(from_memory.ok());

  // End to end: a git source whose commit holds the certificates, loaded by
  // `stowage hosts` run from a folder that has none: the host answers.
  const std::string work = engine.root + "-git";
  const std::string script =
      "set -e; mkdir -p " + work + "/repo/certs " + work + "/elsewhere; cd " + work + "/repo; cp " +
      engine.certs + "/ca.pem " + engine.certs + "/cert.pem " + engine.certs +
      "/key.pem certs/; printf 'kind: Cluster\\nname: tls-git\\nhosts:\\n  - name: h1\\n"
      "    endpoint: " +
      ep +
      "\\n    tls: {ca: certs/ca.pem, cert: certs/cert.pem, key: "
      "certs/key.pem}\\n' > cluster.yaml; git init -q -b main .; git add -A; git -c "
      "user.name=t -c user.email=t@example.com commit -qm tls; cd " +
      work + "/elsewhere; " + std::getenv("STOWAGE_BINARY") + " hosts --repo file://" + work +
      "/repo --cache-dir " + work + "/cache > " + work + "/hosts.txt 2>&1";
  const int rc = Sh("sh -c '" + TlsEngine::Escape(script) + "'");
  INFO(slurp(work + "/hosts.txt"));
  CHECK(rc == 0);
  Sh("rm -rf " + work);
}

}  // namespace
}  // namespace stowage::testing
