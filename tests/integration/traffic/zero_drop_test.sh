#!/usr/bin/env bash
# Deployments that drop no request: a real HAProxy (tests/harness/haproxy.sh)
# in front of busybox httpd tasks on the three harness engines (dynamic host
# ports), a bounded load generator (loadgen, exact counts) on loopback during
#  (a) a rolling deployment of 3 tasks to a new version,
#  (b) a scale-in 3 -> 1 (and back to 3),
#  (c) draining a host,
#  (d) a deployment of a failing revision, rolled back,
# each with 0 failed requests out of at least 2,000, and every answer after
# a deployment from the revision that should serve. Then drift: a target
# deleted through the Runtime API by hand is back after the next apply.
STOWAGE_IT_NAME=traffic
source "$(dirname "$0")/../apply/lib.sh"
: "${STOWAGE_LOADGEN:?}"
here=$(cd "$(dirname "$0")" && pwd)
lb_root=$(mktemp -d /tmp/stw-lb.XXXXXX)
"$here/../../harness/haproxy.sh" start "$lb_root/lb" web || fail "haproxy did not start"
trap 'cleanup; "$here/../../harness/haproxy.sh" stop "$lb_root/lb"; rm -rf "$lb_root"' EXIT
set -a; . "$lb_root/lb/haproxy.env"; set +a
port=${STOWAGE_HAPROXY_URL_web#http://127.0.0.1:}; port=${port%/}
sock=$STOWAGE_HAPROXY_SOCKET

# hosts: "h1|engine|draining?"
write_fleet() {
  {
    echo "kind: Cluster"
    echo "name: $cluster"
    echo "loadBalancers:"
    echo "  - name: edge"
    echo "    kind: haproxy"
    echo "    runtimeApi: unix://$sock"
    echo "    targetGroups:"
    echo "      - {name: web-tg, backend: web, deregistrationDelay: 2s}"
    echo "hosts:"
    local i state
    for i in 1 2 3; do
      state=active; [ "${1:-}" = "h$i" ] && state=draining
      echo "  - {name: h$i, endpoint: \"$(engine "$i")\", state: $state}"
    done
  } >"$src/cluster.yaml"
}

# web VERSION COUNT [broken]: a page that says VERSION; broken exits at once.
write_web() {
  local cmd=""  # "": the httpd of web_httpd_td
  [ "${3:-}" = broken ] && cmd="echo $1; exit 1"
  { web_httpd_td "$1" "$cmd"; cat <<YAML; } >"$src/web.yaml"
serviceName: web
taskDefinition: web
desiredCount: $2
deploymentConfiguration:
  minimumHealthyPercent: 100
  maximumPercent: 200
  deploymentCircuitBreaker: {enable: true, rollback: true}
loadBalancers:
  - targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/0123456789abcdef"
    containerName: web
    containerPort: 8080
YAML
}

server_count() { hap_servers | grep -c . ; }

# Runs the load while `apply_src $@` runs; checks 0 failed of >= 2000 requests.
under_load() {
  local label=$1 want_rc=$2; shift 2
  touch "$work/loading"
  "$STOWAGE_LOADGEN" --port "$port" --threads 4 --while-file "$work/loading" --min 2000 \
    --max-seconds 110 >"$work/load-$label" &
  local gen=$!
  apply_src "$@" >"$work/apply-$label" 2>&1
  local rc=$?
  rm -f "$work/loading"
  wait "$gen"
  [ "$rc" -eq "$want_rc" ] || { cat "$work/apply-$label"; fail "$label: apply exited $rc, want $want_rc"; }
  local line; line=$(cat "$work/load-$label")
  echo "$label: $line"
  local requests failed
  requests=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")
  failed=$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<<"$line")
  [ "$requests" -ge 2000 ] || fail "$label: only $requests requests"
  [ "$failed" -eq 0 ] || { cat "$work/apply-$label"; fail "$label: $failed of $requests requests failed"; }
}

# After a deployment: 500 requests, every one served by VERSION.
only_version() {
  local line; line=$("$STOWAGE_LOADGEN" --port "$port" --threads 2 --min 500)
  [[ "$line" == *"failed=0 "* && "$line" == *"bodies=$1:"* && "$line" != *,* ]] ||
    fail "after $2: want only $1, got: $line"
  echo "ok: after $2 every answer is $1"
}

write_fleet
write_web v1 3
apply_src >"$work/apply-v1" 2>&1 || { cat "$work/apply-v1"; fail "first apply"; }
[ "$(server_count)" -eq 3 ] || fail "first apply: $(server_count) targets, want 3: $(hap_servers)"
only_version v1 "the first apply"

# (a) rolling deployment to v2
write_web v2 3
under_load rolling 0
only_version v2 "the rolling deployment"
[ "$(server_count)" -eq 3 ] || fail "rolling: $(server_count) targets, want 3: $(hap_servers)"

# (b) scale-in 3 -> 1, then back to 3
write_web v2 1
under_load scale-in 0 --allow-mass-delete
[ "$(server_count)" -eq 1 ] || fail "scale-in: $(server_count) targets, want 1"
write_web v2 3
apply_src >"$work/apply-up" 2>&1 || { cat "$work/apply-up"; fail "scale up"; }

# (c) draining host h1
before=$(hap_servers)
write_fleet h1
under_load drain-host 0
[ "$(running "$(engine 1)" web)" -eq 0 ] || fail "drain: tasks left on h1"
[ "$(server_count)" -eq 3 ] || fail "drain: $(server_count) targets, want 3"
write_fleet

# (d) a failing revision, rolled back by the circuit breaker
write_web v3 3 broken
under_load rollback 3
only_version v2 "the rollback"

# Drift: a target deleted by hand comes back at the next apply.
victim=$(hap_servers | head -1)
hap "set server web/$victim state maint; del server web/$victim" >/dev/null
[ "$(server_count)" -eq 2 ] || fail "drift: the target was not deleted"
write_web v2 3
apply_src >"$work/apply-heal" 2>&1 || { cat "$work/apply-heal"; fail "heal"; }
[ "$(server_count)" -eq 3 ] || fail "drift: $(server_count) targets after apply, want 3"
hap_servers | grep -qx "$victim" || fail "drift: $victim not registered again"
echo "ok: a target deleted by hand is registered again"
