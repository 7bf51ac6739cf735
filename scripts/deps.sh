#!/usr/bin/env bash
# Installs what stowage needs from Debian packages, only when something is missing.
#   scripts/deps.sh build   # to build and run stowage (and the demo's local engine)
#   scripts/deps.sh test    # also what the test suite needs (clang for the fuzzer)
set -euo pipefail
want=(cmake g++ make pkg-config git ca-certificates openssl
      libyaml-cpp-dev libgit2-dev libspdlog-dev libcurl4-openssl-dev nlohmann-json3-dev
      libvalijson-dev libcli11-dev catch2 libcpp-httplib-dev libssl-dev
      docker.io busybox-static procps iproute2 openssh-client)
if [ "${1:-build}" = test ]; then
  want+=(clang libclang-rt-14-dev jq)
  want+=(age)       # age interoperability tests (secrets)
  want+=(zsh fish)  # completion scripts: syntax checks
  want+=(chromium nodejs curl)  # the status page test (playwright-core from npm drives chromium)
  command -v npm >/dev/null || want+=(npm)  # Debian's, unless nodejs brings its own
  want+=(openssh-server docker-registry apache2-utils)  # ssh:// and registry tests
  want+=(yamllint)  # examples/ci workflow files
  want+=(haproxy)   # traffic tests: a real load balancer (tests/harness/haproxy.sh)
  want+=(time python3)  # tests/hostile: peak memory, a unix socket
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "stowage: missing Debian packages: ${missing[*]}; run as root to install them" >&2
  exit 1
fi
echo "stowage: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
