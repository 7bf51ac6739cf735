// The age format against the spec's vectors, its failure cases, and
// Debian's `age` command in both directions (a file age encrypts decrypts
// here; a file encrypted here decrypts with `age -d`).
#include "crypto/age.h"

#include <catch2/catch.hpp>
#include <string>

#include "support/shell.h"
#include "support/temp_dir.h"
#include "util/base64.h"

namespace stowage::crypto::age {
namespace {

constexpr const char* kSpecIdentity =
    "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
constexpr const char* kSpecRecipient =
    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";

std::string Text(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

Identity NewIdentity() {
  auto id = GenerateIdentity();
  REQUIRE(id.ok());
  return std::move(*id);
}

std::string EncryptFor(const Identity& id, std::string_view plaintext) {
  auto file = Encrypt(id.recipient, plaintext);
  REQUIRE(file.ok());
  return std::move(*file);
}

std::string DecryptError(const Identity& id, std::string_view file) {
  auto plain = Decrypt({id}, file);
  REQUIRE_FALSE(plain.ok());
  return plain.status().message();
}

// A key pair from age-keygen: {identity file path, recipient}.
std::pair<std::string, std::string> AgeKeygen(const TempDir& dir) {
  const std::string key = dir.path() + "/key.txt";
  auto run = RunShell("age-keygen -o " + key + " 2>&1");
  REQUIRE(run.exit_code == 0);
  auto pub = RunShell("age-keygen -y " + key);
  REQUIRE(pub.exit_code == 0);
  std::string recipient = pub.output.substr(0, pub.output.find('\n'));
  return {key, recipient};
}

TEST_CASE("age keys: the spec's identity gives the spec's recipient", "[crypto][age]") {
  auto id = ParseIdentity(kSpecIdentity);
  REQUIRE(id.ok());
  CHECK(EncodeRecipient(id->recipient) == kSpecRecipient);
  CHECK(EncodeIdentity(*id) == kSpecIdentity);
  auto r = ParseRecipient(kSpecRecipient);
  REQUIRE(r.ok());
  CHECK(r->view() == id->recipient.view());
}

TEST_CASE("age keys: malformed keys are refused without echoing them", "[crypto][age]") {
  CHECK(ParseIdentity(kSpecRecipient).status().message() ==
        "age: not an identity (expected AGE-SECRET-KEY-1…)");
  CHECK(ParseRecipient(kSpecIdentity).status().message() ==
        "age: not a recipient (expected age1…)");
  std::string bad = kSpecIdentity;
  bad[20] = bad[20] == 'Q' ? 'P' : 'Q';
  CHECK(ParseIdentity(bad).status().message() ==
        "age: not an identity (expected AGE-SECRET-KEY-1…)");
  auto file = ParseIdentityFile("# created: today\n\n" + bad + "\n");
  CHECK(file.status().message() == "line 3: not an age identity (expected AGE-SECRET-KEY-1…)");
  CHECK(ParseIdentityFile("# only a comment\n").status().message() ==
        "no age identity (AGE-SECRET-KEY-1…) in the file");
  auto two = ParseIdentityFile(std::string("# a\n") + kSpecIdentity + "\r\n" +
                               EncodeIdentity(NewIdentity()) + "\n");
  REQUIRE(two.ok());
  CHECK(two->size() == 2);
}

TEST_CASE("age round trip at chunk boundaries", "[crypto][age]") {
  const Identity id = NewIdentity();
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, kChunkSize - 1, kChunkSize, kChunkSize + 1,
                        2 * kChunkSize, 3 * kChunkSize + 17}) {
    CAPTURE(n);
    const std::string plain = Text(n);
    auto back = Decrypt({id}, EncryptFor(id, plain));
    REQUIRE(back.ok());
    CHECK(back->str() == plain);
  }
}

TEST_CASE("age decrypts with whichever identity of the file matches", "[crypto][age]") {
  const Identity other = NewIdentity();
  const Identity mine = NewIdentity();
  auto back = Decrypt({other, mine}, EncryptFor(mine, "s3cret"));
  REQUIRE(back.ok());
  CHECK(back->str() == "s3cret");
}

TEST_CASE("age failure: the wrong key", "[crypto][age]") {
  const std::string file = EncryptFor(NewIdentity(), "s3cret");
  CHECK(DecryptError(NewIdentity(), file) ==
        "age: no identity matches a recipient of the file (wrong key?)");
}

TEST_CASE("age failure: a changed MAC or header", "[crypto][age]") {
  const Identity id = NewIdentity();
  const std::string file = EncryptFor(id, "s3cret");
  const std::size_t mac_at = file.find("\n--- ") + 5;
  std::string bad_mac = file;
  bad_mac[mac_at] = bad_mac[mac_at] == 'A' ? 'B' : 'A';
  CHECK(DecryptError(id, bad_mac) == "age: header MAC mismatch (the header was changed)");
  // A stanza added after the fact: the file key still unwraps, the MAC fails.
  std::string added = file;
  added.insert(file.find("\n--- ") + 1, "-> unknown-type arg\n\n");
  CHECK(DecryptError(id, added) == "age: header MAC mismatch (the header was changed)");
  // The wrapped file key changed: no identity opens it.
  std::string body = file;
  const std::size_t body_at = file.find('\n', file.find("-> X25519")) + 1;
  body[body_at] = body[body_at] == 'A' ? 'B' : 'A';
  CHECK(DecryptError(id, body) == "age: no identity matches a recipient of the file (wrong key?)");
}

TEST_CASE("age failure: truncated or changed payload", "[crypto][age]") {
  const Identity id = NewIdentity();
  const std::string small = EncryptFor(id, "s3cret");
  CHECK(DecryptError(id, small.substr(0, small.size() - 1)) ==
        "age: payload chunk 0 failed authentication (truncated or changed)");
  const std::size_t payload = small.find('\n', small.find("\n--- ") + 1) + 1;
  CHECK(DecryptError(id, small.substr(0, payload + 10)) == "age: truncated file (no payload)");
  CHECK(DecryptError(id, small.substr(0, payload - 1)) ==
        "age: malformed header: it ends before the MAC line");
  std::string flipped = small;
  flipped[payload + 20] = static_cast<char>(flipped[payload + 20] ^ 1);
  CHECK(DecryptError(id, flipped) ==
        "age: payload chunk 0 failed authentication (truncated or changed)");
  // Two chunks; dropping the last leaves a first chunk not sealed as final.
  const std::string big = EncryptFor(id, Text(kChunkSize + 5));
  CHECK(DecryptError(id, big.substr(0, big.size() - (5 + kTagSize))) ==
        "age: payload chunk 0 failed authentication (truncated or changed)");
  CHECK(DecryptError(id, big + "x") ==
        "age: payload chunk 1 failed authentication (truncated or changed)");
}

TEST_CASE("age failure: headers that are not age v1", "[crypto][age]") {
  const Identity id = NewIdentity();
  const std::string file = EncryptFor(id, "s3cret");
  CHECK(DecryptError(id, "DB_PASSWORD=x\n") ==
        "age: not an age file (no age-encryption.org/v1 header)");
  CHECK(DecryptError(id, "age-encryption.org/v2\n") ==
        "age: unsupported format version (only age-encryption.org/v1)");
  CHECK(DecryptError(id, file.substr(0, 30)) ==
        "age: malformed header: it ends before the MAC line");
  CHECK(DecryptError(id, "age-encryption.org/v1\n--- " + std::string(43, 'A') + "\n") ==
        "age: malformed header: no recipient stanza");
  std::string padded = file;
  padded.insert(file.find('\n', file.find("\n--- ") + 1), "=");
  CHECK(DecryptError(id, padded) ==
        "age: malformed header: the MAC is not 32 bytes of canonical base64");
  CHECK(DecryptError(id, "age-encryption.org/v1\n->  X25519\n\n--- x\n") ==
        "age: malformed header: a stanza argument is empty or not printable ASCII");
  CHECK(DecryptError(id, "age-encryption.org/v1\n-> X25519 " + std::string(43, 'A') + "\n" +
                             std::string(65, 'A') + "\n") ==
        "age: malformed header: a stanza body line is longer than 64 columns");
  // The all-zero share is a low-order point: abort, never use the result.
  const std::string zero_share = Base64Encode(std::string(32, '\0'), Base64Padding::kNone);
  const std::string body = Base64Encode(std::string(32, 'x'), Base64Padding::kNone);
  CHECK(DecryptError(id, "age-encryption.org/v1\n-> X25519 " + zero_share + "\n" + body + "\n--- " +
                             std::string(43, 'A') + "\n") ==
        "age: X25519 stanza with a low-order share");
  CHECK(DecryptError(id, "age-encryption.org/v1\n-> X25519 " + zero_share + "\n" +
                             Base64Encode("short", Base64Padding::kNone) + "\n--- " +
                             std::string(43, 'A') + "\n") ==
        "age: malformed X25519 stanza (the body is not 32 bytes)");
  CHECK(DecryptError(id, "age-encryption.org/v1\n-> scrypt c2FsdA 18\n" + body + "\n--- " +
                             std::string(43, 'A') + "\n") ==
        "age: the file is passphrase-encrypted (scrypt); encrypt it to the operator's "
        "recipient (age -r age1…)");
  CHECK(DecryptError(id, std::string(kMaxFileSize + 1, 'a')) ==
        "age: the file is larger than 16 MiB");
}

TEST_CASE("age interoperates: files from `age -r` decrypt", "[crypto][age][interop]") {
  TempDir dir;
  auto [key, recipient] = AgeKeygen(dir);
  auto ids = ParseIdentityFile(ReadFileBytes(key));
  REQUIRE(ids.ok());
  for (std::size_t n : {std::size_t{0}, std::size_t{12}, kChunkSize, 2 * kChunkSize + 3}) {
    CAPTURE(n);
    const std::string plain = Text(n);
    dir.Write("plain", plain);
    for (const char* armor : {"", "-a "}) {
      CAPTURE(armor);
      auto run = RunShell("age " + std::string(armor) + "-r " + recipient + " -o " + dir.path() +
                          "/f.age " + dir.path() + "/plain 2>&1");
      REQUIRE(run.exit_code == 0);
      auto back = Decrypt(*ids, ReadFileBytes(dir.path() + "/f.age"));
      REQUIRE(back.ok());
      CHECK(back->str() == plain);
    }
  }
}

TEST_CASE("age interoperates: files encrypted here decrypt with `age -d`",
          "[crypto][age][interop]") {
  TempDir dir;
  auto [key, recipient] = AgeKeygen(dir);
  auto r = ParseRecipient(recipient);
  REQUIRE(r.ok());
  for (std::size_t n : {std::size_t{0}, std::size_t{12}, kChunkSize, 2 * kChunkSize + 3}) {
    CAPTURE(n);
    const std::string plain = Text(n);
    auto file = Encrypt(*r, plain);
    REQUIRE(file.ok());
    dir.Write("f.age", *file);
    auto run = RunShell("age -d -i " + key + " " + dir.path() + "/f.age");
    CHECK(run.exit_code == 0);
    CHECK(run.output == plain);
  }
  // And `age` notices tampering with what we wrote.
  auto file = Encrypt(*r, "s3cret");
  REQUIRE(file.ok());
  (*file)[file->size() - 1] = static_cast<char>((*file)[file->size() - 1] ^ 1);
  dir.Write("bad.age", *file);
  CHECK(RunShell("age -d -i " + key + " " + dir.path() + "/bad.age 2>/dev/null").exit_code != 0);
}

}  // namespace
}  // namespace stowage::crypto::age
