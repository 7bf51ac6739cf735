#!/usr/bin/env bash
# `stowage plan` with load balancers that do not answer (a pull-request job
# that cannot reach them): the plan is still made and exits as it would (0, or
# 2 with --detailed-exitcode when something changes), each balancer down is one
# warning naming its target groups (text, --json, Markdown), each of its groups
# says its pool could not be read; --no-balancers asks none of them.
set -euo pipefail
cluster=lbdown-$$
source "$(dirname "$0")/lib.sh"

sock="$dir/no-haproxy.sock"  # nothing listens: connect fails at once
cat >"$dir/cluster.yaml" <<YAML
kind: Cluster
name: $cluster
loadBalancers:
  - name: edge
    kind: haproxy
    runtimeApi: "unix://$sock"
    targetGroups: [{name: web-tg, backend: web}, {name: api-tg, backend: api}]
  - name: far
    kind: haproxy
    runtimeApi: "tcp://127.0.0.1:1"
    targetGroups: [{name: far-tg, backend: web}]
hosts:
  - name: h1
    endpoint: ${engines[0]}
YAML
write_web() {  # $1: desired count
  cat >"$dir/web.yaml" <<YAML
family: web
containerDefinitions:
  - name: app
    image: $image
    command: [sleep, "3600"]
    memory: 32
    portMappings: [{containerPort: 8080}]
---
serviceName: web
taskDefinition: web
desiredCount: $1
loadBalancers:
  - {targetGroupArn: web-tg, containerName: app, containerPort: 8080}
  - {targetGroupArn: api-tg, containerName: app, containerPort: 8080}
  - {targetGroupArn: far-tg, containerName: app, containerPort: 8080}
YAML
}
edge_warning="warning: load balancer edge: the target changes of web-tg, api-tg could not be listed (HAProxy Runtime API unix://$sock: No such file or directory): shown are the plan's own starts and stops"
far_warning="warning: load balancer far: the target changes of far-tg could not be listed (HAProxy Runtime API tcp://127.0.0.1:1: Connection refused): shown are the plan's own starts and stops"

plan_rc() { set +e; NO_COLOR=1 "$stowage" plan "$dir" "$@" >"$dir/out" 2>"$dir/err"; echo $?; set -e; }

# 1. Something to change: exit 2 with --detailed-exitcode, 0 without.
write_web 1
rc=$(plan_rc --detailed-exitcode)
[ "$rc" -eq 2 ] || { cat "$dir/out" "$dir/err"; fail "plan --detailed-exitcode exited $rc, want 2"; }
[ "$(grep -c '^warning: ' "$dir/out")" -eq 2 ] || { cat "$dir/out"; fail "want 2 warnings"; }
grep -qxF "$edge_warning" "$dir/out" || { cat "$dir/out"; fail "no warning for edge"; }
grep -qxF "$far_warning" "$dir/out" || { cat "$dir/out"; fail "no warning for far"; }
[ "$(grep -c "^  ! the balancer's pool could not be read" "$dir/out")" -eq 3 ] ||
  { cat "$dir/out"; fail "want each of the 3 groups to say its pool could not be read"; }
grep -q '^  h1$' "$dir/out" && grep -q '+ start .*: scale up 0 -> 1$' "$dir/out" ||
  { cat "$dir/out"; fail "the plan itself is missing"; }
[ ! -s "$dir/err" ] || { cat "$dir/err"; fail "stderr not empty"; }
rc=$(plan_rc)
[ "$rc" -eq 0 ] || { cat "$dir/out" "$dir/err"; fail "plan exited $rc, want 0"; }
echo "ok: a plan with both balancers down is made, exit 2 / 0, one warning per balancer"

rc=$(plan_rc --json)
[ "$rc" -eq 0 ] || fail "plan --json exited $rc"
jq -e --arg e "${edge_warning#warning: }" --arg f "${far_warning#warning: }" '
  .warnings == [$e, $f] and .errors == [] and ([.targets[] | .group] == ["web-tg", "api-tg", "far-tg"])
  and all(.targets[]; (.error | startswith("HAProxy Runtime API ")) and (.register | length) == 1)' \
  "$dir/out" >/dev/null || { jq -c '{warnings, targets}' "$dir/out"; fail "plan --json"; }
rc=$(plan_rc --format markdown)
[ "$rc" -eq 0 ] || fail "plan --format markdown exited $rc"
grep -qxF -- "- **warning**: ${edge_warning#warning: }" "$dir/out" ||
  { cat "$dir/out"; fail "markdown: no warning for edge"; }
[ "$(grep -c "^! the balancer's pool could not be read" "$dir/out")" -eq 3 ] ||
  { cat "$dir/out"; fail "markdown: want 3 groups saying their pool could not be read"; }
echo "ok: --json and Markdown say it per balancer and per target group"

rc=$(plan_rc --detailed-exitcode --no-balancers)
[ "$rc" -eq 2 ] || { cat "$dir/out" "$dir/err"; fail "--no-balancers exited $rc, want 2"; }
! grep -q 'warning\|could not be read' "$dir/out" || { cat "$dir/out"; fail "--no-balancers asked them"; }
[ "$(grep -c '^  + register web\.' "$dir/out")" -eq 3 ] || { cat "$dir/out"; fail "--no-balancers: want the 3 registrations"; }
echo "ok: --no-balancers: the plan's own target changes, no balancer asked"

# 2. Nothing to change: exit 0 with --detailed-exitcode, warnings all the same.
write_web 0
rc=$(plan_rc --detailed-exitcode)
[ "$rc" -eq 0 ] || { cat "$dir/out" "$dir/err"; fail "no change: exited $rc, want 0"; }
[ "$(grep -c '^warning: ' "$dir/out")" -eq 2 ] || { cat "$dir/out"; fail "no change: want 2 warnings"; }
echo "ok: nothing to change with the balancers down: exit 0 with --detailed-exitcode"
