#!/usr/bin/env bash
# The stops of a deployment's last step are handed to the engine (Docker
# Swarm's way): with tasks that ignore SIGTERM (`sleep` as PID 1) and a stop
# timeout of 6 s, apply returns with the old tasks retired (renamed
# NAME.retired-DEADLINE) and still running; a plan right after has nothing to
# do; the engine kills them (exit 137) after their stop timeout with no
# stowage process running; the next apply removes them though it has nothing
# else to do. --wait-stopped waits and removes, as before.
STOWAGE_IT_NAME=handoff
source "$(dirname "$0")/lib.sh"
e1=$(engine 1)
write_cluster "h1|$e1||"
write_svc() {
  cat >"$src/slow.yaml" <<YAML
family: slow
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    memory: 16
    command: ["sleep", "$1"]
    stopTimeout: 6
---
serviceName: slow
taskDefinition: slow
desiredCount: 3
deploymentConfiguration:
  minimumHealthyPercent: 100
  maximumPercent: 200
YAML
}
names() {
  docker -H "$e1" ps -a --filter "label=io.stowage.cluster=$cluster" \
    --format '{{.Names}} {{.State}}' | sort
}
write_svc 3600
apply_src >"$work/out1" 2>&1 || { cat "$work/out1"; fail "first apply failed"; }
[ "$(running "$e1" slow)" -eq 3 ] || fail "v1: $(running "$e1" slow) running, want 3"

write_svc 3601
apply_src >"$work/out2" 2>&1 || { cat "$work/out2"; fail "rolling apply failed"; }
returned=$(date +%s)
grep -q '^slow: converged (3 started, 3 stopping)$' "$work/out2" ||
  { cat "$work/out2"; fail "summary does not count 3 stopping"; }
[ "$(grep -c 'stopping (revision change), left to the engine (killed after its stopTimeout)$' "$work/out2")" -eq 3 ] ||
  { cat "$work/out2"; fail "want 3 task lines saying the stop was left to the engine"; }
names >"$work/after"
[ "$(grep -c '\.retired-[0-9]* running$' "$work/after")" -eq 3 ] ||
  { cat "$work/after"; fail "want 3 retired old tasks still running"; }
[ "$(grep -vc '\.retired-' "$work/after")" -eq 3 ] || { cat "$work/after"; fail "want 3 new tasks"; }
echo "ok: apply returned with the 3 old tasks retired and stopping"

"$STOWAGE_BINARY" plan "$src" --detailed-exitcode >"$work/plan" 2>&1
rc=$?
[ $rc -eq 0 ] || { cat "$work/plan"; fail "plan right after the apply exited $rc, want 0 (no changes)"; }
grep -q 'No changes' "$work/plan" || { cat "$work/plan"; fail "plan shows changes"; }
echo "ok: a plan right after has nothing to do"

# status counts them apart: 3 running, 3 old tasks stopping until their deadline.
"$STOWAGE_BINARY" status "$src" >"$work/status" 2>&1 || { cat "$work/status"; fail "status failed"; }
latest=$(sed -n 's/.*\.retired-\([0-9]*\) running$/\1/p' "$work/after" | sort -n | tail -1)
want="slow: 3 old tasks stopping (killed by $(date -u -d "@$latest" '+%F %T') UTC)"
grep -qxF "$want" "$work/status" || { cat "$work/status"; fail "status: want '$want'"; }
[ "$(grep -c ' stopping  old task, killed by ' "$work/status")" -eq 3 ] ||
  { cat "$work/status"; fail "status: want 3 stopping old tasks on the host"; }
"$STOWAGE_BINARY" status "$src" --json >"$work/status.json" || fail "status --json failed"
jq -e --argjson d "$latest" '.services[0] | .running == 3 and .stopping == 3 and
  .stoppingDeadline == $d and .retiredExited == 0' "$work/status.json" >/dev/null ||
  { jq -c '.services' "$work/status.json"; fail "status --json: want 3 stopping by $latest"; }
echo "ok: status shows the 3 old tasks stopping and their deadline"

gone() { [ "$(grep -c running <(names))" -eq 3 ]; }
wait_for "the engine to kill the old tasks" 40 gone
# Each was killed at the deadline its name carries (its stop timeout after
# the stop request), with no stowage process running.
docker -H "$e1" ps -a --filter "label=io.stowage.cluster=$cluster" --filter status=exited \
  --format '{{.Names}}' >"$work/retired"
[ "$(wc -l <"$work/retired")" -eq 3 ] || fail "want 3 exited retired containers"
while read -r name; do
  deadline=${name##*.retired-}
  read -r finished code < <(docker -H "$e1" inspect --format '{{.State.FinishedAt}} {{.State.ExitCode}}' "$name")
  at=$(date -d "$finished" +%s)
  [ "$code" -eq 137 ] || fail "$name exited $code, want 137 (SIGKILL after its stop timeout)"
  [ $((at - deadline)) -ge -2 ] && [ $((at - deadline)) -le 3 ] ||
    fail "$name ended at $at, its deadline is $deadline"
  [ "$at" -gt "$returned" ] || fail "$name ended before apply returned"
done <"$work/retired"
echo "ok: the engine killed them at their deadline (stop timeout), after apply had returned"
"$STOWAGE_BINARY" status "$src" >"$work/status" 2>&1 || { cat "$work/status"; fail "status failed"; }
grep -qxF "slow: 3 old tasks exited (removed by the next apply)" "$work/status" ||
  { cat "$work/status"; fail "status: want 3 exited old tasks"; }

apply_src >"$work/out3" 2>&1 || { cat "$work/out3"; fail "no-change apply failed"; }
grep -q 'removed 3 stopped old container(s) of earlier deployments' "$work/out3" ||
  { cat "$work/out3"; fail "the next apply did not say it removed them"; }
[ "$(names | wc -l)" -eq 3 ] || { names; fail "exited retired containers were not removed"; }
"$STOWAGE_BINARY" status "$src" >"$work/status" 2>&1 || { cat "$work/status"; fail "status failed"; }
! grep -q 'old task' "$work/status" || { cat "$work/status"; fail "status still shows old tasks"; }
echo "ok: the next apply (nothing to change) removed them"

write_svc 3602
apply_src --wait-stopped >"$work/out4" 2>&1 || { cat "$work/out4"; fail "--wait-stopped apply failed"; }
grep -q '^slow: converged (3 started, 3 stopped, 3 removed)$' "$work/out4" ||
  { cat "$work/out4"; fail "--wait-stopped summary"; }
[ "$(names | wc -l)" -eq 3 ] || { names; fail "--wait-stopped left old containers"; }
echo "ok: --wait-stopped waits for the stops and removes the old tasks"
