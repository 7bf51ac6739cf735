// The secret providers on the real `stowage` executable: validate resolves
// when providers are given, plan always; errors sit at the valueFrom and
// never carry a value.
#include <catch2/catch.hpp>
#include <string>

#include "crypto/age.h"
#include "support/shell.h"
#include "support/temp_dir.h"

namespace stowage {
namespace {

constexpr const char* kValue = "v4lue-that-must-not-leak";

ShellRun Stowage(const std::string& args, const std::string& env = "") {
  return RunShell(env + " NO_COLOR=1 " + std::string(STOWAGE_BINARY) + " " + args + " 2>&1");
}

// src/: one service whose container has two secrets (a key and an age file);
// secrets/: the operator's directory; id.txt: the operator's age identity.
struct SecretWorld {
  TempDir dir;
  crypto::age::Identity identity = *crypto::age::GenerateIdentity();

  SecretWorld() {
    dir.Write("src/cluster.yaml",
              "kind: Cluster\nname: c\nhosts:\n  - name: h1\n"
              "    endpoint: unix://" +
                  dir.path() + "/no-such.sock\n");
    dir.Write("src/web.yaml",
              "family: web\ncontainerDefinitions:\n"
              "  - name: web\n    image: stowage/busybox:1\n    memory: 64\n"
              "    secrets:\n"
              "      - name: DB\n        valueFrom: arn:aws:ssm:eu-west-1:1:parameter/prod/db\n"
              "      - name: TOKEN\n        valueFrom: age:secrets/app.env.age#TOKEN\n"
              "---\nserviceName: web\ntaskDefinition: web\ndesiredCount: 1\n");
    dir.Write("src/secrets/app.env.age",
              *crypto::age::Encrypt(identity.recipient, std::string("TOKEN=") + kValue + "\n"));
    dir.Write("secrets/prod/db", std::string(kValue) + "\n");
    dir.Write("secrets/stowage-fingerprint-key", "0123456789abcdef0123456789abcdef\n");
    dir.Write("id.txt", crypto::age::EncodeIdentity(identity) + "\n");
  }
  std::string Src() const { return dir.path() + "/src"; }
  std::string Providers() const {
    return "--secrets-dir " + dir.path() + "/secrets --age-identity " + dir.path() + "/id.txt ";
  }
};

TEST_CASE("validate: without providers, only the form of valueFrom is checked", "[cli][secrets]") {
  SecretWorld w;
  auto r = Stowage("validate " + w.Src());
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("0 errors") != std::string::npos);
}

TEST_CASE("validate: with providers every secret is looked up, never printed", "[cli][secrets]") {
  SecretWorld w;
  auto ok = Stowage("validate " + w.Providers() + w.Src());
  CHECK(ok.exit_code == 0);
  CHECK(ok.output.find(kValue) == std::string::npos);
  w.dir.Write("secrets/prod/db", "");
  std::filesystem::remove(w.dir.path() + "/secrets/prod/db");
  auto missing = Stowage("validate " + w.Providers() + w.Src());
  CHECK(missing.exit_code == 1);
  CHECK(missing.output.find(w.Src() +
                            "/web.yaml:8:20: error: secret DB of container web: valueFrom "
                            "\"arn:aws:ssm:eu-west-1:1:parameter/prod/db\": not found (no file "
                            "prod/db in --secrets-dir " +
                            w.dir.path() + "/secrets)") != std::string::npos);
  CHECK(missing.output.find(kValue) == std::string::npos);
}

TEST_CASE("validate: providers come from the environment too", "[cli][secrets]") {
  SecretWorld w;
  auto r = Stowage("validate " + w.Src(),
                   "STOWAGE_SECRETS_ENV=CI_SECRET_ CI_SECRET_PROD_DB=x "
                   "CI_SECRET_STOWAGE_FINGERPRINT_KEY=0123456789abcdef0 "
                   "STOWAGE_AGE_IDENTITY=" +
                       w.dir.path() + "/id.txt");
  CHECK(r.exit_code == 0);
  auto bad = Stowage("validate " + w.Src(), "STOWAGE_SECRETS_ENV=STOWAGE_");
  CHECK(bad.exit_code == 1);
  CHECK(bad.output.find("error: --secrets-env STOWAGE_: a commit could read STOWAGE_GIT_TOKEN "
                        "through it") != std::string::npos);
}

TEST_CASE("validate: a wrong age identity is an error at the age: valueFrom", "[cli][secrets]") {
  SecretWorld w;
  w.dir.Write("id.txt", crypto::age::EncodeIdentity(*crypto::age::GenerateIdentity()) + "\n");
  auto r = Stowage("validate " + w.Providers() + w.Src());
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("/web.yaml:10:20: error: secret TOKEN of container web: valueFrom "
                      "\"age:secrets/app.env.age#TOKEN\": secrets/app.env.age: age: no identity "
                      "matches a recipient of the file (wrong key?)") != std::string::npos);
}

TEST_CASE("plan: secrets must resolve before any host is asked", "[cli][secrets]") {
  SecretWorld w;
  auto r = Stowage("plan " + w.Src());
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("/web.yaml:8:20: error: secret DB of container web: valueFrom "
                      "\"arn:aws:ssm:eu-west-1:1:parameter/prod/db\": no secret provider: give "
                      "--secrets-dir DIR or --secrets-env PREFIX") != std::string::npos);
  CHECK(r.output.find("unreachable") == std::string::npos);
  auto resolved = Stowage("plan " + w.Providers() + w.Src());
  CHECK(resolved.output.find("host h1 is unreachable") != std::string::npos);
  CHECK(resolved.output.find(kValue) == std::string::npos);
}

}  // namespace
}  // namespace stowage
