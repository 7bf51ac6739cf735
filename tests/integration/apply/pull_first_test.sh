#!/usr/bin/env bash
# Pull first, then replace: with maximumPercent 100 each step stops an old task
# before it starts a new one, so the new image must be on every host before
# anything is stopped. An image that cannot be pulled fails the deployment with
# every old task still running (counted with the docker CLI) and says which host
# and why; a start that fails after a stop restarts the stopped old task.
STOWAGE_IT_NAME=pullfirst
source "$(dirname "$0")/lib.sh"
e1=$(engine 1)
e2=$(engine 2)
write_cluster "h1|$e1||" "h2|$e2||"
write_td() {  # IMAGE COMMAND
  cat >"$src/pf.yaml" <<YAML
family: pf
containerDefinitions:
  - name: app
    image: $1
    memory: 16
    command: ["sh", "-c", "$2"]
    stopTimeout: 1
---
serviceName: pf
taskDefinition: pf
desiredCount: 4
deploymentConfiguration:
  minimumHealthyPercent: 50
  maximumPercent: 100
YAML
}
old_tasks() {  # running containers of the first revision, on both engines
  local n=0 e
  for e in "$e1" "$e2"; do
    n=$((n + $(docker -H "$e" ps -q --filter "label=io.stowage.cluster=$cluster" \
                 --filter "label=io.stowage.revision=$rev1" | wc -l)))
  done
  echo "$n"
}
sleeper="trap 'exit 0' TERM; while true; do sleep 1; done"
write_td stowage/busybox:1 "$sleeper"
apply_src >"$work/out1" 2>&1 || { cat "$work/out1"; fail "first apply exited $?"; }
rev1=$(docker -H "$e1" ps --filter "label=io.stowage.cluster=$cluster" \
         --format '{{.Label "io.stowage.revision"}}' | sort -u)
[ "$(old_tasks)" -eq 4 ] || fail "v1: $(old_tasks) running, want 4"
echo "ok: 4 tasks of revision $rev1"

# An image no registry has (port 1 refuses at once): nothing is stopped.
write_td 127.0.0.1:1/stowage/nope:1 "$sleeper"
apply_src >"$work/out2" 2>&1
rc=$?
cat "$work/out2"
[ $rc -eq 1 ] || fail "apply with an unpullable image exited $rc, want 1"
[ "$(old_tasks)" -eq 4 ] || fail "$(old_tasks) old tasks running after a failed pull, want 4"
[ "$(running_total pf)" -eq 4 ] || fail "$(running_total pf) tasks running, want 4"
grep -q '^pf: failed: host h[12]: pull 127.0.0.1:1/stowage/nope:1: Get "http://127.0.0.1:1/v2/": .*connection refused; .*no task was stopped' \
  "$work/out2" || fail "the summary does not say which host and why"
[ "$(docker -H "$e1" ps -aq --filter "label=io.stowage.cluster=$cluster" | wc -l)" -eq 2 ] ||
  fail "containers other than the 2 old ones on engine 1"
echo "ok: failed pull: exit 1, all 4 old tasks running, host and reason in the summary"

# The image pulls (it is there) but the new task exits at once: the step that
# stopped an old task is undone, the stopped one restarted.
write_td stowage/busybox:1 "exit 3"
apply_src >"$work/out3" 2>&1
rc=$?
cat "$work/out3"
[ $rc -eq 1 ] || fail "apply with a crashing task exited $rc, want 1"
grep -q "stopped old task(s) restarted, new ones removed" "$work/out3" ||
  fail "the summary does not say the old tasks were restarted"
[ "$(old_tasks)" -eq 4 ] || fail "$(old_tasks) old tasks running after a failed start, want 4"
[ "$(running_total pf)" -eq 4 ] || fail "$(running_total pf) tasks running, want 4"
echo "ok: failed start after a stop: all 4 old tasks running again"

# The lock brought its own image: the source's (unpullable) one was never used for it.
for e in "$e1" "$e2"; do
  docker -H "$e" image inspect stowage/lock:1 --format '{{.Size}}' | grep -qx 0 ||
    fail "no empty stowage/lock:1 image on $e"
done
grep -q "lock" "$work/out2" && fail "the failed pull mentions the lock: $(grep lock "$work/out2")"
echo "ok: the lock used its own imported image (stowage/lock:1, empty)"
