#!/usr/bin/env bash
# stowage plan on three real engines. The containers that "already run" are
# created with the docker CLI and stowage's labels, so what stowage reads back
# is what a real engine reports, not what our own code wrote.
set -euo pipefail
cluster=plantest-$$
source "$(dirname "$0")/lib.sh"

write_cluster "${engines[2]}"
cat >"$dir/web.json" <<JSON
{"family": "web", "containerDefinitions": [
  {"name": "app", "image": "$image", "command": ["sleep", "3600"], "memory": 32}]}
JSON
cat >"$dir/web-service.json" <<JSON
{"serviceName": "web", "taskDefinition": "web", "desiredCount": 3}
JSON
cat >"$dir/api.yaml" <<YAML
family: api
containerDefinitions:
  - name: app
    image: $image
    command: [sleep, "3600"]
    memory: 32
---
serviceName: api
taskDefinition: api
desiredCount: 1
YAML

# 1. Empty engines: every task is a start, spread over the hosts.
set +e
plan=$("$stowage" plan --json --detailed-exitcode "$dir"); rc=$?
set -e
[ $rc -eq 2 ] || fail "empty cluster: exit $rc, want 2"
got=$(actions "$plan")
want="api start h1 scale up 0 -> 1
web start h1 scale up 0 -> 3
web start h2 scale up 1 -> 3
web start h3 scale up 2 -> 3"
[ "$got" = "$want" ] || fail "empty cluster plan:
$got
want:
$want"
rev=$(jq -r '.services[] | select(.service == "web") | .revision' <<<"$plan")

# 2. What runs: web t1 fine on h1, t2 exited (code 3) on h2, t3 of an old
# revision on h3, a task of a service gone from the source on h2, and a
# container started by hand (no labels) on h1. t3's replacement takes its
# slot on h3 (spread on host: one task per host).
labelled "${engines[0]}" h1 web t1 "$rev" sleep 3600
labelled "${engines[1]}" h2 web t2 "$rev" sh -c 'exit 3'
labelled "${engines[2]}" h3 web t3 oldrev0000000000 sleep 3600
labelled "${engines[1]}" h2 gone g1 gonerev000000000 sleep 3600
docker -H "${engines[0]}" run -d --name "$cluster-by-hand" "$image" sleep 3600 >/dev/null
for _ in $(seq 1 50); do
  state=$(docker -H "${engines[1]}" inspect -f '{{.State.Status}}' web.app.t2)
  [ "$state" = exited ] && break
  sleep 0.1
done

plan=$("$stowage" plan --json "$dir")
got=$(actions "$plan")
want="api start h1 scale up 0 -> 1
web remove h2 exited (code 3)
web start h2 exited (code 3)
web start h3 revision change
web stop h3 revision change"
[ "$got" = "$want" ] || fail "plan against running tasks:
$got
want:
$want"
[ "$(jq -r '.services[] | select(.service == "web") | .deployment.from_revision' <<<"$plan")" = oldrev0000000000 ] ||
  fail "web deployment from_revision"
[ "$(jq -c '.summary' <<<"$plan")" = '{"to_start":1,"to_stop":0,"to_replace":2,"blocked_services":0}' ] ||
  fail "summary: $(jq -c .summary <<<"$plan")"
jq -e '.warnings == ["service gone is not in the source; its 1 task is left as they are (pass --prune to remove them)"]' <<<"$plan" >/dev/null ||
  fail "warnings: $(jq -c .warnings <<<"$plan")"
grep -q "$cluster-by-hand" <<<"$plan" && fail "the unlabelled container is in the plan"

# 3. --prune removes the gone service's task; --target limits the plan.
plan=$("$stowage" plan "$dir" --json --prune --target gone)
[ "$(actions "$plan")" = "gone remove h2 service removed (prune)" ] ||
  fail "prune: $(actions "$plan")"

# 4. The text form says the same, ending with the summary line.
text=$(NO_COLOR=1 "$stowage" plan "$dir")
[ "$(tail -1 <<<"$text")" = "Plan: 1 service to update, 1 to create, 0 to remove; 3 tasks to start, 2 to stop" ] ||
  fail "text summary: $(tail -1 <<<"$text")"

# 5. One engine down: h3 is reported unreachable and its task left alone.
write_cluster "unix://$dir/no-such-engine.sock"
plan=$("$stowage" plan --json "$dir")
got=$(actions "$plan")
want="web remove h2 exited (code 3)
web start h2 exited (code 3)"
[ "$got" = "$want" ] || fail "plan with h3 down:
$got
want:
$want"
# api has no task in sight, but one may run on h3: it is not started.
jq -e '.warnings[0] | startswith("host h3 is unreachable (")' <<<"$plan" >/dev/null ||
  fail "no unreachable warning: $(jq -c .warnings <<<"$plan")"
jq -e '.warnings | index("service api: 1 task is not started while host h3 did not answer (they may run there)")' <<<"$plan" >/dev/null ||
  fail "api is not held: $(jq -c .warnings <<<"$plan")"

# 6. --unreachable-grace 0: h3 counts as empty at once, so api is started and
# web topped up on h1 and h2; apply does it (the lock skips h3).
plan=$("$stowage" plan --json --unreachable-grace 0 "$dir")
got=$(actions "$plan")
want="api start h1 scale up 0 -> 1
web remove h2 exited (code 3)
web start h1 scale up 2 -> 3
web start h2 exited (code 3)"
[ "$got" = "$want" ] || fail "plan with h3 down past the grace:
$got
want:
$want"
jq -e '.warnings[0] | test("^host h3 is unreachable \\(.*\\), down for 0s \\(grace 0s\\); its tasks are replaced on other hosts$")' \
  <<<"$plan" >/dev/null || fail "no past-grace warning: $(jq -c .warnings <<<"$plan")"
"$stowage" apply --auto-approve --settle 1 --unreachable-grace 0 "$dir" >/dev/null ||
  fail "apply with h3 down: exit $?"
plan=$("$stowage" plan --json --unreachable-grace 0 "$dir")
[ "$(actions "$plan")" = "" ] || fail "after apply with h3 down: $(actions "$plan")"
echo "plan on real engines: ok"
