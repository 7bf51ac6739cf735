// The providers behind SecretStore: a confined directory, the environment,
// age files of the source; and the hostile keys a commit may try.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "crypto/age.h"
#include "secrets/secret_store.h"
#include "support/temp_dir.h"

namespace stowage::secrets {
namespace {

namespace fs = std::filesystem;

struct World {
  TempDir dir;  // holds secrets/ (the operator's), src/ (the source), id.txt
  std::map<std::string, std::string> env;
  crypto::age::Identity identity = *crypto::age::GenerateIdentity();
  std::unique_ptr<Source> source;

  World() {
    fs::create_directories(dir.path() + "/secrets");
    fs::create_directories(dir.path() + "/src");
    dir.Write("id.txt", "# test identity\n" + crypto::age::EncodeIdentity(identity) + "\n");
    source = NewDirectorySource(dir.path() + "/src");
  }
  std::string Secrets() const { return dir.path() + "/secrets"; }
  void Secret(const std::string& key, const std::string& value) const {
    dir.Write("secrets/" + key, value);
  }
  void AgeFile(const std::string& path, const std::string& plaintext) const {
    dir.Write("src/" + path, *crypto::age::Encrypt(identity.recipient, plaintext));
  }
  std::unique_ptr<SecretStore> Store(Providers p) {
    return NewProviderStore(std::move(p), source.get(), [this](const char* name) -> const char* {
      auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    });
  }
  std::unique_ptr<SecretStore> DirStore() { return Store({Secrets(), "", ""}); }
  std::unique_ptr<SecretStore> AgeStore() { return Store({"", "", dir.path() + "/id.txt"}); }
};

std::string Value(SecretStore& store, const std::string& value_from) {
  auto s = store.Lookup(value_from, kValueFrom);
  INFO(value_from << ": " << s.status().message());
  REQUIRE(s.ok());
  return s->str();
}

std::string Error(SecretStore& store, const std::string& value_from,
                  std::string_view field = kValueFrom) {
  auto s = store.Lookup(value_from, field);
  REQUIRE_FALSE(s.ok());
  return s.status().message();
}

TEST_CASE("secrets-dir: keys are files below the directory", "[secrets]") {
  World w;
  w.Secret("db_password", "hunter2\n");
  w.Secret("prod/db", "{\"user\":\"app\",\"password\":\"pw-1\",\"port\":5432}");
  auto store = w.DirStore();
  CHECK(Value(*store, "db_password") == "hunter2");
  CHECK(Value(*store, "arn:aws:ssm:eu-west-1:1:parameter/db_password") == "hunter2");
  CHECK(Value(*store, "arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCdEf:password::") ==
        "pw-1");
  CHECK(Value(*store, "arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCdEf:port::") == "5432");
  CHECK(Error(*store, "arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCdEf:nope::") ==
        "valueFrom \"arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCdEf:nope::\": no key "
        "nope in the JSON");
  CHECK(Error(*store, "arn:aws:secretsmanager:eu-west-1:1:secret:db_password-AbCdEf:k::") ==
        "valueFrom \"arn:aws:secretsmanager:eu-west-1:1:secret:db_password-AbCdEf:k::\": the "
        "value is not a JSON object (needed to pick key k)");
  CHECK(Error(*store, "missing") ==
        "valueFrom \"missing\": not found (no file missing in "
        "--secrets-dir " +
            w.Secrets() + ")");
  // Registry credentials are named by their field, for the form and the lookup.
  CHECK(Error(*store, "reg/missing", kCredentialsParameter) ==
        "credentialsParameter \"reg/missing\": not found (no file reg/missing in "
        "--secrets-dir " +
            w.Secrets() + ")");
  CHECK(Error(*store, "file:/root/.docker/config.json", kCredentialsParameter)
            .rfind("credentialsParameter \"file:/root/.docker/config.json\": the file: form is "
                   "gone",
                   0) == 0);
}

TEST_CASE("secrets-dir: hostile keys never leave the directory", "[secrets]") {
  World w;
  w.dir.Write("outside", "do-not-read");
  w.Secret("inside", "ok");
  fs::create_symlink(w.dir.path() + "/outside", w.Secrets() + "/abs-link");
  fs::create_symlink("../outside", w.Secrets() + "/rel-link");
  fs::create_symlink("inside", w.Secrets() + "/good-link");
  fs::create_directories(w.Secrets() + "/sub");
  fs::create_directory_symlink("../..", w.Secrets() + "/sub/up");
  auto store = w.DirStore();
  CHECK(Error(*store, "../outside") == "valueFrom \"../outside\": '..' may not appear in a key");
  CHECK(Error(*store, "/etc/shadow").find("a key never starts with '/'") != std::string::npos);
  CHECK(Error(*store, "abs-link") == "valueFrom \"abs-link\": key abs-link in --secrets-dir " +
                                         w.Secrets() + ": a symlink leaves the secrets directory");
  CHECK(Error(*store, "rel-link") == "valueFrom \"rel-link\": key rel-link in --secrets-dir " +
                                         w.Secrets() + ": a symlink leaves the secrets directory");
  CHECK(Error(*store, "sub/up/outside") ==
        "valueFrom \"sub/up/outside\": key sub/up/outside in --secrets-dir " + w.Secrets() +
            ": a symlink leaves the secrets directory");
  // A link that stays inside (Kubernetes' ..data layout) is followed.
  CHECK(Value(*store, "good-link") == "ok");
  CHECK(Error(*store, "sub") ==
        "valueFrom \"sub\": key sub in --secrets-dir " + w.Secrets() + ": not a regular file");
  CHECK(Error(*store, std::string("in\0side", 7)).find("a key has only letters") !=
        std::string::npos);
}

TEST_CASE("secrets-dir: FIFOs and huge files are refused before reading", "[secrets]") {
  World w;
  REQUIRE(mkfifo((w.Secrets() + "/fifo").c_str(), 0600) == 0);
  {
    const int fd = open((w.Secrets() + "/huge").c_str(), O_CREAT | O_WRONLY, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(ftruncate(fd, 1LL << 30) == 0);  // 1 GiB, sparse
    close(fd);
  }
  auto store = w.DirStore();
  CHECK(Error(*store, "fifo") ==
        "valueFrom \"fifo\": key fifo in --secrets-dir " + w.Secrets() + ": not a regular file");
  CHECK(Error(*store, "huge") == "valueFrom \"huge\": key huge in --secrets-dir " + w.Secrets() +
                                     ": larger than 1048576 bytes");
}

TEST_CASE("secrets-env: PREFIX plus the key, after the directory", "[secrets]") {
  World w;
  w.env["CI_SECRET_PROD_DB"] = "from-env";
  w.env["CI_SECRET_BOTH"] = "env-loses";
  w.Secret("both", "dir-wins");
  auto env_only = w.Store({"", "CI_SECRET_", ""});
  CHECK(Value(*env_only, "prod/db") == "from-env");
  CHECK(Value(*env_only, "arn:aws:ssm:eu-west-1:1:parameter/prod/db") == "from-env");
  CHECK(Error(*env_only, "other") ==
        "valueFrom \"other\": not found (no variable CI_SECRET_OTHER)");
  auto both = w.Store({w.Secrets(), "CI_SECRET_", ""});
  CHECK(Value(*both, "both") == "dir-wins");
  CHECK(Value(*both, "prod/db") == "from-env");
  CHECK(Error(*both, "other") == "valueFrom \"other\": not found (no file other in --secrets-dir " +
                                     w.Secrets() + ", no variable CI_SECRET_OTHER)");
  auto none = w.Store({});
  CHECK(Error(*none, "prod/db") ==
        "valueFrom \"prod/db\": no secret provider: give "
        "--secrets-dir DIR or --secrets-env PREFIX");
}

TEST_CASE("age: files of the source decrypt with the operator's identity", "[secrets]") {
  World w;
  w.AgeFile("secrets/prod.env.age",
            "# prod\nDB_USER=app\nexport DB_PASSWORD=\"pw = 1\"\n\nAPI_KEY='k'\n");
  w.AgeFile("secrets/prod.json.age", "{\"token\": \"t-1\", \"n\": 3}");
  w.AgeFile("token.age", "whole-file\n");
  auto store = w.AgeStore();
  CHECK(Value(*store, "age:secrets/prod.env.age#DB_PASSWORD") == "pw = 1");
  CHECK(Value(*store, "age:secrets/prod.env.age#API_KEY") == "k");
  CHECK(Value(*store, "age:secrets/prod.json.age#token") == "t-1");
  CHECK(Value(*store, "age:secrets/prod.json.age#n") == "3");
  CHECK(Value(*store, "age:token.age") == "whole-file");
  CHECK(Error(*store, "age:secrets/prod.env.age#NOPE") ==
        "valueFrom \"age:secrets/prod.env.age#NOPE\": no line NOPE=… in the file");
  CHECK(Error(*store, "age:missing.age").find("valueFrom \"age:missing.age\": ") == 0);
  w.dir.Write("src/plain.age", "DB_PASSWORD=not-encrypted\n");
  CHECK(Error(*store, "age:plain.age#DB_PASSWORD") ==
        "valueFrom \"age:plain.age#DB_PASSWORD\": plain.age: age: not an age file (no "
        "age-encryption.org/v1 header)");
  auto no_identity = w.DirStore();
  CHECK(Error(*no_identity, "age:token.age") ==
        "valueFrom \"age:token.age\": an age: secret needs --age-identity FILE");
}

TEST_CASE("age: a file for another recipient names no value", "[secrets]") {
  World w;
  auto other = *crypto::age::GenerateIdentity();
  w.dir.Write("src/other.age", *crypto::age::Encrypt(other.recipient, "X=1\n"));
  auto store = w.AgeStore();
  CHECK(Error(*store, "age:other.age#X") ==
        "valueFrom \"age:other.age#X\": other.age: age: no identity matches a recipient of the "
        "file (wrong key?)");
}

TEST_CASE("providers are checked before use", "[secrets]") {
  World w;
  CHECK(CheckProviders({w.Secrets(), "CI_", w.dir.path() + "/id.txt"}).ok());
  CHECK(CheckProviders({w.dir.path() + "/nope", "", ""}).message() ==
        "--secrets-dir " + w.dir.path() + "/nope: not a directory");
  CHECK(CheckProviders({"", "ci", ""}).message().find("--secrets-env \"ci\"") == 0);
  w.dir.Write("bad-id.txt", "# nothing\n");
  CHECK(CheckProviders({"", "", w.dir.path() + "/bad-id.txt"}).message() ==
        "--age-identity " + w.dir.path() +
            "/bad-id.txt: no age identity (AGE-SECRET-KEY-1…) in the file");
}

TEST_CASE("fingerprint key: the operator's, per cluster", "[secrets]") {
  World w;
  auto none = w.DirStore();
  CHECK(none->FingerprintKey("prod").status().message().find("no fingerprint key: ") == 0);
  w.Secret("stowage-fingerprint-key", "short");
  CHECK(w.DirStore()->FingerprintKey("prod").status().message() ==
        "stowage-fingerprint-key is shorter than 16 bytes");
  w.Secret("stowage-fingerprint-key", "0123456789abcdef0123456789abcdef\n");
  auto a = w.DirStore()->FingerprintKey("prod");
  auto b = w.DirStore()->FingerprintKey("staging");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->view() != b->view());
  w.env["CI_STOWAGE_FINGERPRINT_KEY"] = "0123456789abcdef0123456789abcdef";
  auto from_env = w.Store({"", "CI_", ""})->FingerprintKey("prod");
  REQUIRE(from_env.ok());
  CHECK(from_env->view() == a->view());
  auto from_age = w.AgeStore()->FingerprintKey("prod");
  REQUIRE(from_age.ok());
  CHECK(from_age->view() != a->view());
}

}  // namespace
}  // namespace stowage::secrets

#include "secrets/confined_file.h"

namespace stowage::secrets {
namespace {

TEST_CASE("secrets-dir without openat2: no symlink is followed at all", "[secrets]") {
  TempDir dir;
  dir.Write("outside", "do-not-read");
  dir.Write("secrets/inside", "ok\n");
  dir.Write("secrets/sub/deep", "deep");
  fs::create_symlink("inside", dir.path() + "/secrets/good-link");
  fs::create_symlink("../outside", dir.path() + "/secrets/rel-link");
  fs::create_directory_symlink("..", dir.path() + "/secrets/sub/up");
  const std::string secrets = dir.path() + "/secrets";
  auto read = [&](const std::string& key) {
    return ReadConfined(secrets, key, 1024, Confinement::kNoFollow);
  };
  auto inside = read("inside");
  REQUIRE(inside.ok());
  CHECK(inside->str() == "ok\n");
  auto deep = read("sub/deep");
  REQUIRE(deep.ok());
  CHECK(deep->str() == "deep");
  CHECK(read("good-link").status().message() ==
        "key good-link in --secrets-dir " + secrets + ": a symlink (not followed)");
  CHECK(read("rel-link").status().message() ==
        "key rel-link in --secrets-dir " + secrets + ": a symlink (not followed)");
  CHECK(read("sub/up/inside").status().message() ==
        "key sub/up/inside in --secrets-dir " + secrets + ": a part of the key is not a directory");
  CHECK(read("nope").status().code() == Status::Code::kNotFound);
}

}  // namespace
}  // namespace stowage::secrets
