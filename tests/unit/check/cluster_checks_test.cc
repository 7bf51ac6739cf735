#include <catch2/catch.hpp>

#include <set>

#include "check/checks.h"
#include "check_fixtures.h"

namespace stowage::check::testing {

TEST_CASE("host names are unique", "[check]") {
  auto s = ValidState();
  s.cluster.hosts.push_back(HostAt("h2", 20));
  CHECK(
      Check(s) ==
      Lines{
          "cluster.yaml:20:11: error: name: host \"h2\" is already defined at line 8, column 11"});
}

TEST_CASE("a cluster has hosts", "[check]") {
  auto s = ValidState();
  s.cluster.hosts.clear();
  CHECK(Check(s) == Lines{"cluster.yaml:1:1: error: hosts: a cluster needs at least one host"});
}

TEST_CASE("endpoints parse", "[check]") {
  auto s = ValidState();
  auto& hosts = s.cluster.hosts;
  hosts[0].endpoint = "http://10.0.0.1:2375";
  hosts[1].endpoint = "tcp://10.0.0.1";
  hosts[2].endpoint = "unix://var/run/docker.sock";
  CHECK(Check(s) == Lines{"cluster.yaml:5:15: error: endpoint: expected unix:///PATH, "
                          "tcp://HOST:PORT, ssh://[USER@]HOST or default, got "
                          "\"http://10.0.0.1:2375\"",
                          "cluster.yaml:9:15: error: endpoint: expected tcp://HOST:PORT, got "
                          "\"tcp://10.0.0.1\" (no port)",
                          "cluster.yaml:13:15: error: endpoint: expected unix:///ABSOLUTE/PATH, "
                          "got \"unix://var/run/docker.sock\""});
  hosts[0].endpoint = "tcp://10.0.0.1:70000";
  hosts[1].endpoint = "tcp://[::1]:2376";
  hosts[2].endpoint = "unix:///var/run/docker.sock";
  CHECK(Check(s) == Lines{"cluster.yaml:5:15: error: endpoint: port \"70000\" of "
                          "\"tcp://10.0.0.1:70000\" is not a number from 1 to 65535"});
}

TEST_CASE("tls files: a path each, ignored for unix://", "[check]") {
  auto s = ValidState();
  auto& h = s.cluster.hosts[1];
  h.endpoint = "tcp://10.0.0.6:2376";
  h.tls = model::TlsFiles{"certs/ca.pem", "certs/cert.pem", "certs/key.pem"};
  h.tls_position = At("cluster.yaml", 10, 10);
  h.tls_ca_position = At("cluster.yaml", 10, 16);
  h.tls_cert_position = At("cluster.yaml", 10, 36);
  h.tls_key_position = At("cluster.yaml", 10, 58);
  CheckContext ctx = AnyPolicy();
  CHECK(Check(s, ctx).empty());  // the loader reads the files (tests/unit/load/tls_files_test.cc)
  h.tls->key.clear();
  CHECK(Check(s, ctx) == Lines{"cluster.yaml:10:58: error: tls.key: a path is required"});
  h.endpoint = "unix:///run/docker.sock";
  CHECK(Check(s, ctx) == Lines{"cluster.yaml:10:10: warning: tls: ignored for a unix:// endpoint"});
}

TEST_CASE("ssh blocks and host keys are checked", "[check]") {
  auto s = ValidState();
  auto& h = s.cluster.hosts[1];
  h.endpoint = "ssh://deploy@10.0.0.7:2222";
  h.host_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHd7";
  h.host_key_position = At("cluster.yaml", 10, 14);
  model::SshSettings ssh;
  ssh.position = At("cluster.yaml", 11, 10);
  ssh.user_position = At("cluster.yaml", 11, 18);
  ssh.port_position = At("cluster.yaml", 11, 30);
  ssh.options_position = At("cluster.yaml", 11, 45);
  ssh.options = {{"ServerAliveInterval", "15"}};
  h.ssh = ssh;
  CHECK(Check(s).empty());
  h.ssh->user = "root";
  h.ssh->port = 22;
  h.ssh->options = {{"ProxyCommand", "touch /tmp/pwned"}, {"Compression", "yes;id"}};
  h.host_key = "ssh-dss AAAA";
  CHECK(Check(s) ==
        Lines{"cluster.yaml:10:14: error: hostKey: expected a public key line \"TYPE BASE64\" of "
              "type ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 or sk-*, got \"ssh-dss\"",
              "cluster.yaml:11:18: error: ssh.user: \"root\" differs from the endpoint's user "
              "\"deploy\"",
              "cluster.yaml:11:30: error: ssh.port: 22 differs from the endpoint's port 2222",
              "cluster.yaml:11:45: error: ssh.options.Compression: expected 1 to 64 letters, "
              "digits or .,_:+-, got \"yes;id\"",
              "cluster.yaml:11:45: error: ssh.options: \"ProxyCommand\" is not allowed (allowed: "
              "AddressFamily, Compression, ConnectTimeout, ConnectionAttempts, IPQoS, "
              "ServerAliveCountMax, ServerAliveInterval, TCPKeepAlive)"});
  h.endpoint = "unix:///run/docker.sock";
  h.host_key.clear();
  h.ssh->options.clear();
  CHECK(Check(s) == Lines{"cluster.yaml:11:10: warning: ssh: ignored for an endpoint that is "
                          "not ssh://"});
  h.endpoint = "ssh://10.0.0.7";
  h.ssh->user = "-oProxyCommand=id";
  CHECK(Check(s) == Lines{"cluster.yaml:11:18: error: ssh.user: expected 1 to 32 letters, digits, "
                          "'.', '_' or '-', not starting with '-' or '.', got "
                          "\"-oProxyCommand=id\""});
}

TEST_CASE("reserved leaves some capacity", "[check]") {
  auto s = ValidState();
  s.cluster.hosts[0].capacity = model::Resources{2048, 1024};
  s.cluster.hosts[0].reserved = {256, 1024};
  CHECK(Check(s) == Lines{"cluster.yaml:4:5: error: reserved: memory 1024 leaves nothing of "
                          "capacity 1024"});
}

}  // namespace stowage::check::testing
