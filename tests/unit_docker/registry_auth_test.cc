#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "runtime/docker/engine_json.h"
#include "runtime/docker/registry_auth.h"

namespace stowage::runtime::docker {
namespace {

std::string Decoded(const std::string& header) { return Base64Decode(header).value_or("?"); }

// A runner that records what it was asked and answers `out` with `code`.
struct FakeHelper {
  int code = 0;
  std::string out;
  std::vector<std::string> argv;
  std::string input;
  HelperRunner Runner() {
    return [this](const std::vector<std::string>& a, const std::string& in) {
      argv = a;
      input = in;
      return Result<process::RunResult>(process::RunResult{code, out, ""});
    };
  }
};

}  // namespace

TEST_CASE("credHelpers beat credsStore, which beats auths", "[docker][registry]") {
  std::string config = R"({"auths": {"127.0.0.1:5000": {"auth": "dTpw"}},
                           "credsStore": "desktop",
                           "credHelpers": {"123.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"}})";
  CHECK(CredentialHelperFor(config, "123.dkr.ecr.eu-west-1.amazonaws.com") == "ecr-login");
  CHECK(CredentialHelperFor(config, "127.0.0.1:5000") == "desktop");
  CHECK(CredentialHelperFor(R"({"auths": {}})", "127.0.0.1:5000").empty());
  CHECK(CredentialHelperFor("not json", "x").empty());
  CHECK(ServerAddress("docker.io") == "https://index.docker.io/v1/");
  CHECK(ServerAddress("ghcr.io") == "ghcr.io");
}

TEST_CASE("a helper's answer becomes the X-Registry-Auth header", "[docker][registry]") {
  FakeHelper helper;
  helper.out = R"({"ServerURL": "127.0.0.1:5000", "Username": "alice", "Secret": "s3cret"})";
  auto h = RegistryAuth(R"({"credsStore": "pass"})", "127.0.0.1:5000", helper.Runner());
  REQUIRE(h.ok());
  REQUIRE(h->has_value());
  CHECK(Decoded(**h) ==
        R"({"password":"s3cret","serveraddress":"127.0.0.1:5000","username":"alice"})");
  CHECK(helper.argv == std::vector<std::string>{"docker-credential-pass", "get"});
  CHECK(helper.input == "127.0.0.1:5000\n");

  helper.out = R"({"ServerURL": "x", "Username": "<token>", "Secret": "tok"})";
  h = RegistryAuth(R"({"credsStore": "pass"})", "docker.io", helper.Runner());
  REQUIRE(h.ok());
  CHECK(Decoded(**h) == R"({"identitytoken":"tok","serveraddress":"https://index.docker.io/v1/"})");
  CHECK(helper.input == "https://index.docker.io/v1/\n");
}

TEST_CASE("helper failures are errors, not found is anonymous", "[docker][registry]") {
  FakeHelper helper;
  helper.code = 1;
  helper.out = "credentials not found in native keychain\n";
  auto none = RegistryAuth(R"({"credsStore": "pass"})", "r.example", helper.Runner());
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());

  helper.out = "gpg: decryption failed: No secret key\nmore";
  auto failed = RegistryAuth(R"({"credsStore": "pass"})", "r.example", helper.Runner());
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().message() ==
        "credential helper docker-credential-pass for r.example: gpg: decryption failed: No "
        "secret key");

  helper.code = 0;
  helper.out = "{}";
  auto nonsense = RegistryAuth(R"({"credsStore": "pass"})", "r.example", helper.Runner());
  REQUIRE_FALSE(nonsense.ok());
  CHECK(nonsense.status().message() ==
        "credential helper docker-credential-pass for r.example: expected {\"Username\": ..., "
        "\"Secret\": ...}");

  for (const char* bad : {"../../bin/sh", "-x", "a b", "x;id", ""}) {
    INFO(bad);
    std::string config = std::string(R"({"credsStore": ")") + bad + R"("})";
    helper.argv.clear();
    auto r = RegistryAuth(config, "r.example", helper.Runner());
    if (*bad == '\0') {
      CHECK(r.ok());  // "" names no helper: auths (none here)
    } else {
      CHECK_FALSE(r.ok());
    }
    CHECK(helper.argv.empty());  // nothing was run
  }
}

TEST_CASE("a real helper program is run with an argv, bounded and timed", "[docker][registry]") {
  auto dir = std::filesystem::temp_directory_path() / ("stowage-cred-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& body) {
    auto p = dir / name;
    std::ofstream(p) << "#!/bin/sh\n" << body;
    std::filesystem::permissions(p, std::filesystem::perms::owner_all);
    return p.string();
  };
  std::string echo =
      write("echo-helper", "read s; printf '{\"Username\":\"u\",\"Secret\":\"%s\"}' \"$s\"\n");
  auto r = RunHelper({echo, "get"}, "127.0.0.1:5000\n");
  REQUIRE(r.ok());
  CHECK(r->exit_code == 0);
  CHECK(r->out == R"({"Username":"u","Secret":"127.0.0.1:5000"})");

  std::string chatty = write("chatty-helper", "yes x | head -c 200000\n");
  auto big = RunHelper({chatty, "get"}, "");
  REQUIRE_FALSE(big.ok());
  CHECK(big.status().message() == chatty + ": more than 65536 bytes of output");

  std::string slow = write("slow-helper", "exec sleep 5\n");
  auto timed = process::RunProgram({slow, "get"}, "", std::chrono::milliseconds(300));
  REQUIRE_FALSE(timed.ok());
  CHECK(timed.status().code() == Status::Code::kTimeout);

  auto missing = RunHelper({(dir / "nope").string(), "get"}, "");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kUnreachable);
  std::filesystem::remove_all(dir);
}

}  // namespace stowage::runtime::docker
