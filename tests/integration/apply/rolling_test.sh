#!/usr/bin/env bash
# An image/command change rolls out within deploymentConfiguration, sampled on
# the engine while it happens: desired 4, minimumHealthyPercent 100,
# maximumPercent 150, so every sample must show at least 4 healthy tasks and
# at most 6 running. Both registered hosts share engine 1, so one `docker ps`
# is an atomic sample of the whole service.
STOWAGE_IT_NAME=rolling
source "$(dirname "$0")/lib.sh"
e1=$(engine 1)
write_cluster "h1|$e1||" "h2|$e1||"
write_td() {
  cat >"$src/roll.yaml" <<YAML
family: roll
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    memory: 32
    command: ["sh", "-c", "trap 'exit 0' TERM; echo $1 > /tmp/v; while true; do sleep 1; done"]
    healthCheck:
      command: ["CMD-SHELL", "test -f /tmp/v"]
      interval: 5
      timeout: 2
      retries: 2
    stopTimeout: 2
---
serviceName: roll
taskDefinition: roll
desiredCount: 4
deploymentConfiguration:
  minimumHealthyPercent: 100
  maximumPercent: 150
YAML
}
write_td v1
apply_src >"$work/out1" 2>&1 || { rc=$?; cat "$work/out1"; fail "first apply exited $rc"; }
[ "$(running "$e1" roll)" -eq 4 ] || fail "v1: $(running "$e1" roll) running, want 4"
rev1=$(docker -H "$e1" ps --filter "label=io.stowage.cluster=$cluster" \
         --format '{{.Label "io.stowage.revision"}}' | sort -u)
[ "$(echo "$rev1" | wc -l)" -eq 1 ] || fail "v1: more than one revision: $rev1"
echo "ok: v1 applied"

# Sampler: one line per sample: "running healthy revisions".
sample() {
  docker -H "$e1" ps --filter "label=io.stowage.cluster=$cluster" \
    --filter "label=io.stowage.service=roll" \
    --format '{{.Label "io.stowage.revision"}} {{.Status}}' |
    awk '{ n++; if ($0 ~ /\(healthy\)/) h++; r[$1] = 1 }
         END { k = 0; for (x in r) k++; printf "%d %d %d\n", n, h, k }'
}
touch "$work/sampling"
( while [ -e "$work/sampling" ]; do sample; sleep 0.15; done ) >"$work/samples" 2>/dev/null &
sampler=$!
write_td v2
apply_src >"$work/out2" 2>&1
rc=$?
rm -f "$work/sampling"
wait "$sampler"
[ $rc -eq 0 ] || { cat "$work/out2"; fail "rolling apply exited $rc"; }
samples=$(wc -l <"$work/samples")
echo "samples taken during the rollout: $samples"
[ "$samples" -ge 10 ] || fail "only $samples samples"
awk '$2 < 4 { print "sample " NR ": " $2 " healthy < 4 (" $0 ")"; bad = 1 }
     $1 > 6 { print "sample " NR ": " $1 " running > 6 (" $0 ")"; bad = 1 }
     END { exit bad }' "$work/samples" || fail "deployment bounds violated"
awk '$3 == 2 { both = 1 } $1 > 4 { surge = 1 } END { exit !(both && surge) }' "$work/samples" ||
  fail "the samples never saw the rollout in progress (both revisions, more than 4 running)"
[ "$(running "$e1" roll)" -eq 4 ] || fail "v2: $(running "$e1" roll) running, want 4"
rev2=$(docker -H "$e1" ps --filter "label=io.stowage.cluster=$cluster" \
         --format '{{.Label "io.stowage.revision"}}' | sort -u)
[ "$(echo "$rev2" | wc -l)" -eq 1 ] && [ "$rev2" != "$rev1" ] || fail "v2 revisions: $rev2"
[ "$(docker -H "$e1" ps -aq --filter "label=io.stowage.cluster=$cluster" | wc -l)" -eq 4 ] ||
  fail "old containers were not removed after the deployment"
echo "ok: rolling deployment kept >= 4 healthy and <= 6 running in every sample"
