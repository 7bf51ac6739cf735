#!/usr/bin/env bash
# Drift on real engines: containers made with the docker CLI exactly as stowage
# makes them (lib.sh: labelled) plan nothing; `docker update` (memory, restart
# policy) and `docker rename` on one of them make `stowage plan` replace it
# with reason drift.
set -euo pipefail
cluster=drifttest-$$
source "$(dirname "$0")/lib.sh"

write_cluster
cat >"$dir/web.yaml" <<YAML
family: web
containerDefinitions:
  - name: app
    image: $image
    command: [sleep, "3600"]
    memory: 32
---
serviceName: web
taskDefinition: web
desiredCount: 2
YAML

expect_plan() {  # $1 = what, $2 = expected actions
  local plan got
  plan=$("$stowage" plan --json "$dir")
  got=$(actions "$plan")
  [ "$got" = "$2" ] || fail "$1:
$got
want:
$2"
}

rev=$("$stowage" plan --json "$dir" | jq -r '.services[0].revision')
labelled "${engines[0]}" h1 web t1 "$rev" sleep 3600
labelled "${engines[1]}" h2 web t2 "$rev" sleep 3600

# 1. As stowage would have made them: nothing to do.
set +e
"$stowage" plan --detailed-exitcode "$dir" >/dev/null; rc=$?
set -e
[ $rc -eq 0 ] || fail "untouched containers: exit $rc, want 0"

# 2. docker update --memory on t2: its replacement takes its slot, on h2 (spread).
docker -H "${engines[1]}" update --memory 64m --memory-swap 128m web.app.t2 >/dev/null
expect_plan "after docker update --memory" "web remove h2 drift: app memory 64 MiB (defined 32 MiB)
web start h2 drift: app memory 64 MiB (defined 32 MiB)"
text=$(NO_COLOR=1 "$stowage" plan "$dir")
grep -Eq '^  h2$' <<<"$text" || fail "text plan has no h2 group:
$text"
grep -Eq '^    ~ remove t2 \(replaced by [0-9a-f]{12}( on h[12])?\): drift: app memory 64 MiB \(defined 32 MiB\)$' \
  <<<"$text" || fail "text plan does not show the drift:
$text"
[ "$(tail -1 <<<"$text")" = "Plan: 1 service to update, 0 to create, 0 to remove; 1 task to start, 1 to stop" ] ||
  fail "text summary: $(tail -1 <<<"$text")"

# 3. Back to 32m: no drift; then the restart policy.
docker -H "${engines[1]}" update --memory 32m --memory-swap 64m web.app.t2 >/dev/null
expect_plan "memory restored" ""
docker -H "${engines[1]}" update --restart always web.app.t2 >/dev/null
expect_plan "after docker update --restart" "web remove h2 drift: app restart policy always (defined no)
web start h2 drift: app restart policy always (defined no)"
docker -H "${engines[1]}" update --restart no web.app.t2 >/dev/null

# 4. docker rename of t1.
docker -H "${engines[0]}" rename web.app.t1 renamed-by-hand-$$
expect_plan "after docker rename" "web remove h1 drift: app renamed to renamed-by-hand-$$ (want web.app.t1)
web start h1 drift: app renamed to renamed-by-hand-$$ (want web.app.t1)"

# 5. apply heals it; the next plan is empty.
"$stowage" apply --auto-approve --settle 1 "$dir" >/dev/null
expect_plan "after apply" ""
echo "drift on real engines: ok"
