#!/usr/bin/env bash
# Placement as it lands on the engines (docker ps on each): spread by
# attribute:zone balances the zones, not the hosts; binpack on memory fills
# the fullest host that still fits first; memberOf keeps a service off the
# hosts it excludes; a static host port allows one task per host (the rest
# is blocked, exit 4); a DAEMON service runs on every host, and on a host
# added to the cluster file; a service scales up and then down.
STOWAGE_IT_NAME=placement
source "$(dirname "$0")/lib.sh"
e1=$(engine 1) e2=$(engine 2) e3=$(engine 3)
mem=$(( $(docker -H "$e1" info -f '{{.MemTotal}}') / 1048576 ))
# Free memory for tasks: h1 all, h2 600 MiB, h3 1000 MiB (binpack order: h2, h3,
# h1). The small services take at most 64 MiB of a host, so of pack's 250 MiB
# tasks h2 holds exactly 2 and h3 the other 3, whatever the order of placement.
write_cluster "h1|$e1|{ zone: a }|" "h2|$e2|{ zone: b }|{ memory: $((mem - 600)) }" \
  "h3|$e3|{ zone: b }|{ memory: $((mem - 1000)) }"
{
  sleeper_td zone 8
  cat <<YAML
serviceName: zone
taskDefinition: zone
desiredCount: 6
placementStrategy:
  - type: spread
    field: attribute:zone
---
YAML
  sleeper_td pack 250
  cat <<YAML
serviceName: pack
taskDefinition: pack
desiredCount: 5
placementStrategy:
  - type: binpack
    field: memory
---
YAML
  sleeper_td member 8
  cat <<YAML
serviceName: member
taskDefinition: member
desiredCount: 4
placementConstraints:
  - type: memberOf
    expression: "attribute:zone == b"
---
YAML
  sleeper_td daemon 8
  cat <<YAML
serviceName: daemon
taskDefinition: daemon
schedulingStrategy: DAEMON
YAML
} >"$src/services.yaml"
apply_src >"$work/out1" 2>&1 || { rc=$?; cat "$work/out1"; fail "apply exited $rc"; }
on() { running "$(engine "$1")" "$2"; }
where() { echo "$(on 1 "$1") $(on 2 "$1") $(on 3 "$1")"; }
echo "zone: $(where zone)  pack: $(where pack)  member: $(where member)  daemon: $(where daemon)"
[ "$(on 1 zone)" -eq 3 ] && [ $(( $(on 2 zone) + $(on 3 zone) )) -eq 3 ] ||
  fail "spread on attribute:zone: $(where zone), want 3 in zone a (h1), 3 in zone b"
[ "$(where pack)" = "0 2 3" ] || fail "binpack on memory: $(where pack), want 0 2 3"
[ "$(on 1 member)" -eq 0 ] && [ "$(running_total member)" -eq 4 ] ||
  fail "memberOf zone b: $(where member), want none on h1 and 4 in all"
[ "$(where daemon)" = "1 1 1" ] || fail "daemon: $(where daemon), want 1 1 1"
echo "ok: spread by zone, binpack, memberOf, daemon on every host"

# Scale up, then down.
sed -i '/serviceName: zone/,/desiredCount/s/desiredCount: 6/desiredCount: 10/' "$src/services.yaml"
apply_src >"$work/out2" 2>&1 || { rc=$?; cat "$work/out2"; fail "scale up exited $rc"; }
[ "$(running_total zone)" -eq 10 ] && [ "$(on 1 zone)" -eq 5 ] || fail "scale up to 10: $(where zone)"
sed -i '/serviceName: zone/,/desiredCount/s/desiredCount: 10/desiredCount: 2/' "$src/services.yaml"
apply_src >"$work/out3" 2>&1 || { rc=$?; cat "$work/out3"; fail "scale down exited $rc"; }
[ "$(on 1 zone)" -eq 1 ] && [ "$(running_total zone)" -eq 2 ] || fail "scale down to 2: $(where zone)"
[ "$(tasks_of zone | wc -l)" -eq 2 ] || fail "scale down left containers behind"
echo "ok: scale up to 10 and down to 2, zones balanced"

# A fourth host (sharing engine 1, told apart by its host label): the daemon follows.
cat >>"$src/cluster.yaml" <<YAML
  - name: h4
    endpoint: $e1
    attributes: { zone: c }
YAML
apply_src >"$work/out4" 2>&1 || { rc=$?; cat "$work/out4"; fail "apply with h4 exited $rc"; }
[ "$(docker -H "$e1" ps -q --filter "label=io.stowage.cluster=$cluster" \
      --filter label=io.stowage.service=daemon --filter label=io.stowage.host=h4 | wc -l)" -eq 1 ] ||
  fail "no daemon task on the added host h4"
[ "$(running_total daemon)" -eq 4 ] || fail "daemon: $(running_total daemon) tasks, want 4"
echo "ok: daemon task on the host added to the cluster file"

# A static host port: one task per host. Only h1 may take it (memberOf zone a),
# so of 2 tasks 1 runs and 1 is blocked: exit 4.
port=$((20000 + RANDOM % 20000))
cat >>"$src/services.yaml" <<YAML
---
family: port
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    memory: 8
    command: ["httpd", "-f", "-p", "8080"]
    portMappings:
      - containerPort: 8080
        hostPort: $port
---
serviceName: port
taskDefinition: port
desiredCount: 2
placementConstraints:
  - type: memberOf
    expression: "attribute:zone == a"
YAML
apply_src >"$work/out5" 2>&1
rc=$?
[ $rc -eq 4 ] || { cat "$work/out5"; fail "static port: exit $rc, want 4"; }
[ "$(where port)" = "1 0 0" ] || fail "static port: $(where port), want 1 0 0"
grep -q "port: blocked: 1 task(s) could not be placed" "$work/out5" ||
  { cat "$work/out5"; fail "the blocked task was not reported"; }
grep -q "h1: port $port in use" "$work/out5" || { cat "$work/out5"; fail "the plan does not say why h1 is full"; }
echo "ok: static host port: one task on h1, the second blocked (exit 4)"
