#!/usr/bin/env bash
# Under `stowage watch`, a task whose container is stopped by hand leaves its
# target group within seconds (engine event -> reconcile, which takes dead
# tasks' targets out first), and its replacement is registered again.
STOWAGE_IT_NAME=traffic-watch
source "$(dirname "$0")/../apply/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
lb_root=$(mktemp -d /tmp/stw-lb.XXXXXX)
watcher=
"$here/../../harness/haproxy.sh" start "$lb_root/lb" web || fail "haproxy did not start"
trap '[ -n "$watcher" ] && kill "$watcher" 2>/dev/null && wait "$watcher"; cleanup
      "$here/../../harness/haproxy.sh" stop "$lb_root/lb"; rm -rf "$lb_root"' EXIT
set -a; . "$lb_root/lb/haproxy.env"; set +a
cat >"$src/cluster.yaml" <<YAML
kind: Cluster
name: $cluster
loadBalancers:
  - name: edge
    kind: haproxy
    runtimeApi: unix://$STOWAGE_HAPROXY_SOCKET
    targetGroups: [{name: web-tg, backend: web, deregistrationDelay: 2s}]
hosts:
  - {name: h1, endpoint: "$(engine 1)"}
  - {name: h2, endpoint: "$(engine 2)"}
YAML
{ web_httpd_td w; cat <<YAML; } >"$src/web.yaml"
serviceName: web
taskDefinition: web
desiredCount: 2
loadBalancers: [{targetGroupArn: web-tg, containerName: web, containerPort: 8080}]
YAML
"$STOWAGE_BINARY" watch "$src" --interval 60s --settle 1s >"$work/watch.log" 2>&1 &
watcher=$!
two() { [ "$(hap_servers | grep -c .)" -eq 2 ]; }
wait_for "2 targets" 60 two
victim=$(docker -H "$(engine 1)" ps -q --filter "label=io.stowage.cluster=$cluster" | head -1)
[ -n "$victim" ] || fail "no task on h1"
task=$(docker -H "$(engine 1)" inspect -f '{{index .Config.Labels "io.stowage.task"}}' "$victim")
hap_servers | grep -qx "web.$task" || fail "web.$task is not a target: $(hap_servers)"
docker -H "$(engine 1)" stop -t 1 "$victim" >/dev/null
t0=$(date +%s)
gone() { ! hap_servers | grep -qx "web.$task"; }
wait_for "web.$task to leave the target group" 15 gone
echo "ok: the stopped task's target left within $(( $(date +%s) - t0 ))s"
wait_for "a replacement target" 60 two
echo "ok: its replacement takes traffic: $(hap_servers | tr '\n' ' ')"
