#!/usr/bin/env bash
# stowage watch and a commit whose deployment fails: its health check never
# passes, the circuit breaker trips, v1 is restored; the commit is marked
# failed (/status, /metrics) and not tried again on the fetches and resyncs
# that follow (one rolled-back deployment in /metrics and in the log, no
# container created), nor by a restarted watcher (the deploy history on the
# engines); a later good commit applies.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

make_repo
write_web v1
commit v1
start_watch --interval 1s --resync 3s --settle 1s
wait_for 90 "v1 converged" running 3 v1

write_web bad "exit 1"
commit bad
bad=$(git rev-parse HEAD)
wait_for 120 "the failed deployment rolled back" sh -c \
  "curl -sf localhost:$port/metrics | grep -qx 'stowage_deployments_total{outcome=\"rolled_back\"} 1'"
running 3 v1 || fail "v1 not restored after the rollback"
curl -sf "localhost:$port/metrics" | grep -qx 'stowage_revision_failed 1' || fail "/metrics: not failed"
status=$(curl -sf "localhost:$port/status")
echo "$status" | grep -A2 '"failed_revisions"' | grep -q "\"$bad\": \"rolled back: web: rolled back" ||
  fail "/status: $bad not failed"
grep -q "reconciled ${bad:0:12}: rolled_back" "$work/watch.log" || fail "log: no rollback"

# Later fetches and resyncs leave the failed commit alone and keep v1 running.
created() {  # containers of the cluster created on any engine from $1 until now
  local s until
  until=$(date +%s.%N)
  for s in "${socks[@]}"; do
    DOCKER_HOST=$s docker events --since "$1" --until "$until" --filter type=container \
      --filter event=create --filter "label=io.stowage.cluster=$cluster" --format '{{.ID}}'
  done | grep -c . || true
}
since=$(date +%s.%N)
runs=$(metric 'stowage_reconcile_runs_total{outcome="converged"}')
fetches=$(metric stowage_source_fetches_total)
sleep 10  # three resyncs, about ten fetches
[ "$(metric 'stowage_reconcile_runs_total{outcome="converged"}')" -ge $((runs + 2)) ] ||
  fail "no resync happened after the rollback"
[ "$(metric stowage_source_fetches_total)" -ge $((fetches + 5)) ] || fail "no fetches after the rollback"
[ "$(metric 'stowage_deployments_total{outcome="rolled_back"}')" = 1 ] || fail "the failed commit was retried"
[ "$(grep -c "reconciled ${bad:0:12}:" "$work/watch.log")" = 1 ] || fail "log: the failed commit was applied again"
[ "$(created "$since")" = 0 ] || fail "tasks were started after the rollback"
running 3 v1 || fail "v1 not running during the resyncs"
curl -sf "localhost:$port/metrics" | grep -qx 'stowage_revision_failed 1' || fail "/metrics: failure gone"
curl -sf "localhost:$port/status" | grep -q "\"$bad\": \"rolled back: " || fail "/status: failure gone"

# A restarted watcher on the failed head (nothing in memory): the deploy
# history on the engines keeps it quarantined; it converges on v1 and stays.
stop_watch
since=$(date +%s.%N)
start_watch --interval 1s --resync 3s --settle 1s
wait_for 60 "the restarted watcher skipped the failed head" \
  grep -q "reconciled ${bad:0:12}: rolled_back .*not deployed again: the deploy history records it rolled back" \
  "$work/watch.log"
sleep 4
[ "$(created "$since")" = 0 ] || fail "the restarted watcher started tasks of the failed commit"
running 3 v1 || fail "v1 not running after the restart"
grep -q "staying on " "$work/watch.log" || fail "the restarted watcher does not stay on v1"

write_web v2
commit v2
wait_for 90 "v2 converged after the failed commit" running 3 v2
good=$(git rev-parse HEAD)
wait_for 30 "status shows v2" sh -c "curl -sf localhost:$port/status | grep -q '\"revision_applied\": \"$good\"'"
curl -sf "localhost:$port/metrics" | grep -qx 'stowage_revision_failed 0' || fail "/metrics: v2 failed"
stop_watch
echo "watch rollback test passed"
