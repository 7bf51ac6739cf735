#include <catch2/catch.hpp>

#include "model/ssh.h"

namespace stowage::model {

TEST_CASE("host keys are one known key type and a base64 blob", "[model]") {
  auto k = ParseHostKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHd7 root@web-1");
  REQUIRE(k.ok());
  CHECK(k->type == "ssh-ed25519");
  CHECK(k->key == "AAAAC3NzaC1lZDI1NTE5AAAAIHd7");
  CHECK(ParseHostKey("ssh-dss AAAA").status().message() ==
        "expected a public key line \"TYPE BASE64\" of type ssh-ed25519, ssh-rsa, "
        "ecdsa-sha2-nistp256/384/521 or sk-*, got \"ssh-dss\"");
  CHECK(ParseHostKey("ssh-ed25519 AAAA\nevil").status().message() ==
        "the key of \"ssh-ed25519 ...\" is not base64");
  for (const char* bad :
       {"", "ssh-ed25519", "ssh-ed25519 ", "ssh-ed25519 AAA", "ssh-ed25519 AA=A",
        "ssh-ed25519 AAA*", "@cert-authority ssh-rsa AAAA", "[host]:22 ssh-ed25519 AAAA"}) {
    INFO(bad);
    CHECK_FALSE(ParseHostKey(bad).ok());
  }
}

TEST_CASE("only allow-listed ssh options with plain values", "[model]") {
  CHECK(CanonicalSshOption("serveraliveinterval") == "ServerAliveInterval");
  CHECK(CanonicalSshOption("ConnectTimeout") == "ConnectTimeout");
  for (const char* refused :
       {"ProxyCommand", "ProxyJump", "LocalCommand", "PermitLocalCommand", "KnownHostsCommand",
        "IdentityFile", "StrictHostKeyChecking", "UserKnownHostsFile", "ForwardAgent",
        "ControlPath", "RemoteCommand", "PKCS11Provider", "Include", "Match", "HostName"}) {
    INFO(refused);
    CHECK(CanonicalSshOption(refused).empty());
  }
  CHECK(IsSafeSshOptionValue("15"));
  CHECK(IsSafeSshOptionValue("inet6"));
  for (const char* bad : {"", "a b", "x;id", "$(id)", "%d", "a\nb", "~/x", "/etc/passwd"}) {
    INFO(bad);
    CHECK_FALSE(IsSafeSshOptionValue(bad));
  }
}

}  // namespace stowage::model
