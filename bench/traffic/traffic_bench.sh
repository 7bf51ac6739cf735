#!/usr/bin/env bash
# bench/traffic: requests served and failed, and p99 latency, through a real
# HAProxy during a rolling deployment of 3 busybox httpd tasks (three engines
# of its own, dynamic host ports), with stowage's drain, then the same
# deployment without it (STOWAGE_BENCH_NO_DRAIN=1: old tasks are stopped at
# once, still registered; the balancer's check finds out later), in one run.
#
#   bench/traffic/traffic_bench.sh [BUILD_DIR]     (root; default build dir: build)
#
# Each phase runs the load (bench/traffic/loadgen, 4 threads, new connection per
# request) from just before `stowage apply` starts until it returns.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
stowage=$build/stowage
loadgen=$build/bench/loadgen
[ -x "$stowage" ] && [ -x "$loadgen" ] || { echo "build stowage and loadgen first" >&2; exit 1; }
source "$top/tests/harness/lib.sh"
root=$(mktemp -d /tmp/stw-tb.XXXXXX)
cleanup() {
  "$top/tests/harness/haproxy.sh" stop "$root/lb" >/dev/null 2>&1 || true
  "$top/tests/harness/engines.sh" stop "$root/e" >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT
exit_on_signals
"$top/tests/harness/engines.sh" start 3 "$root/e" >/dev/null
"$top/tests/harness/haproxy.sh" start "$root/lb" web
. "$root/lb/haproxy.env"
port=${STOWAGE_HAPROXY_URL_web#http://127.0.0.1:}; port=${port%/}
src=$root/src; mkdir -p "$src"
cat >"$src/cluster.yaml" <<YAML
kind: Cluster
name: traffic-bench
loadBalancers:
  - name: edge
    kind: haproxy
    runtimeApi: unix://$STOWAGE_HAPROXY_SOCKET
    targetGroups:
      - {name: web-tg, backend: web, deregistrationDelay: 5s}
hosts:
  - {name: h1, endpoint: "unix://$root/e/e1.sock"}
  - {name: h2, endpoint: "unix://$root/e/e2.sock"}
  - {name: h3, endpoint: "unix://$root/e/e3.sock"}
YAML
web() {
  { web_httpd_td "$1"; cat <<YAML; } >"$src/web.yaml"
serviceName: web
taskDefinition: web
desiredCount: 3
deploymentConfiguration: {minimumHealthyPercent: 100, maximumPercent: 200}
loadBalancers: [{targetGroupArn: web-tg, containerName: web, containerPort: 8080}]
YAML
}
apply() { "$stowage" apply "$src" --auto-approve --settle 1 >"$root/apply.log" 2>&1 ||
            { cat "$root/apply.log" >&2; exit 1; }; }
phase() {
  touch "$root/loading"
  "$loadgen" --port "$port" --threads 4 --while-file "$root/loading" >"$root/load" &
  local gen=$! t0; t0=$(date +%s.%N)
  apply
  local t1; t1=$(date +%s.%N)
  rm -f "$root/loading"; wait "$gen"
  printf "%-38s %s deploy_s=%s\n" "$1" "$(cat "$root/load")" "$(awk -v a="$t0" -v b="$t1" "BEGIN { printf \"%.1f\", b - a }")"
}
web v1; apply
web v2; phase "rolling, with stowage's drain:"
web v3; STOWAGE_BENCH_NO_DRAIN=1 phase "rolling, old tasks stopped at once:"
