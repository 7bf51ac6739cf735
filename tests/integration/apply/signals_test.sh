#!/usr/bin/env bash
# SIGTERM, then SIGINT, sent to `stowage apply` while the first step of a
# rolling deployment is in flight: no later step starts, the step in flight
# finishes (its new task healthy, its old task stopped), the lock is released
# at once (no lock container left; a following apply with --lock-timeout 0
# does not wait) and that apply finishes the deployment.
STOWAGE_IT_NAME=signals
source "$(dirname "$0")/lib.sh"
e1=$(engine 1)
write_cluster "h1|$e1||" "h2|$(engine 2)||"
write_src() { { sleeper_td s 16 "$1"; replica_service s 4 100 125; } >"$src/s.yaml"; }
surge() { [ "$(running_total s)" -ge 5 ]; }
revisions() { tasks_of s | awk '$4 == "running" { print $3 }' | sort | uniq -c | sort -rn; }

write_src v1
apply_src >"$work/out0" 2>&1 || { rc=$?; cat "$work/out0"; fail "v1 apply exited $rc"; }

round=0
for sig in TERM INT; do
  round=$((round + 1))
  write_src "v$((round + 1))"
  "$STOWAGE_BINARY" apply "$src" --auto-approve --settle 5 >"$work/out$round" 2>&1 &
  pid=$!
  # Step 1 of 4 is in flight once its new task exists.
  wait_for "the first new task" 60 surge
  kill -$sig "$pid"
  wait "$pid"
  rc=$?
  cat "$work/out$round"
  [ $rc -eq 1 ] || fail "SIG$sig: apply exited $rc, want 1"
  grep -q "^s: cancelled: cancelled before step 2" "$work/out$round" ||
    fail "SIG$sig: no 'cancelled before step 2' in the output"
  grep -q "step 2/4" "$work/out$round" && fail "SIG$sig: step 2 started after the signal"
  [ "$(lock_count)" -eq 0 ] || fail "SIG$sig: the lock was not released"
  # The step in flight finished: 1 new task running, 3 old, 1 old stopped.
  counts=$(revisions | awk '{ print $1 }' | tr '\n' ' ')
  [ "$counts" = "3 1 " ] || { tasks_of s; fail "SIG$sig: running tasks by revision: $counts, want 3 1"; }
  start=$(date +%s)
  apply_src --lock-timeout 0 >"$work/after$round" 2>&1 ||
    { rc=$?; cat "$work/after$round"; fail "SIG$sig: the apply after the signal exited $rc"; }
  counts=$(revisions | awk '{ print $1 }' | tr '\n' ' ')
  [ "$counts" = "4 " ] || fail "SIG$sig: after the next apply: $counts, want 4 of one revision"
  [ "$(tasks_of s | wc -l)" -eq 4 ] || fail "SIG$sig: stopped old tasks were not removed"
  echo "ok: SIG$sig: step in flight finished, lock released, next apply converged in $(( $(date +%s) - start ))s"
done
