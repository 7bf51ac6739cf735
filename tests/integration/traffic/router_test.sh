#!/usr/bin/env bash
# HaproxyRouter against a real HAProxy: starts one (tests/harness/haproxy.sh)
# and two busybox httpd on loopback answering "A" and "B", runs the Catch2
# binary given as $1, then stops them by pid.
set -euo pipefail
bin=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
harness=$here/../../harness/haproxy.sh
ROOT=$(mktemp -d /tmp/stw-hx.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$harness" stop "$ROOT/lb" || true
  rm -rf "$ROOT"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
"$harness" start "$ROOT/lb" web
set -a; . "$ROOT/lb/haproxy.env"; set +a
port_of() { ss -Htln "sport = :$1" | grep -q . && return 1; echo "$1"; }
for name in A B; do
  mkdir -p "$ROOT/$name"; echo "$name" > "$ROOT/$name/index.html"
  for _ in $(seq 1 100); do
    port=$((40000 + RANDOM % 20000)); port_of "$port" >/dev/null && break
  done
  busybox httpd -f -p "127.0.0.1:$port" -h "$ROOT/$name" & pids+=($!)
  export "STOWAGE_TEST_HTTPD_$name=$port"
done
for _ in $(seq 1 50); do
  ss -Htln "sport = :$STOWAGE_TEST_HTTPD_A" | grep -q . &&
    ss -Htln "sport = :$STOWAGE_TEST_HTTPD_B" | grep -q . && break
  sleep 0.1
done
"$bin" "$@"
