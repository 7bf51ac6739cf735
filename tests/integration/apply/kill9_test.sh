#!/usr/bin/env bash
# `stowage apply` killed with SIGKILL at several moments (creating from empty,
# during rolling updates, while scaling), then applied again: the second
# apply takes over the dead holder's lock at once (its pid is dead on this
# machine), converges, and leaves exactly the desired tasks: no duplicate
# task ids, none lost, one revision, no lock container.
STOWAGE_IT_NAME=kill9
source "$(dirname "$0")/lib.sh"
write_cluster "h1|$(engine 1)||" "h2|$(engine 2)||" "h3|$(engine 3)||"
write_src() {  # version, desired count
  { sleeper_td k 16 "$1"; replica_service k "$2" 50 150; } >"$src/k.yaml"
}

check_converged() {  # round, desired count
  local t total unique revs
  t=$(tasks_of k)
  total=$(echo "$t" | grep -c ' running$')
  unique=$(echo "$t" | awk '{ print $2 }' | sort -u | wc -l)
  revs=$(echo "$t" | awk '{ print $3 }' | sort -u | wc -l)
  [ "$total" -eq "$2" ] || { echo "$t"; fail "round $1: $total running, want $2"; }
  [ "$(echo "$t" | wc -l)" -eq "$2" ] || { echo "$t"; fail "round $1: leftover containers"; }
  [ "$unique" -eq "$2" ] || { echo "$t"; fail "round $1: duplicate task ids"; }
  [ "$revs" -eq 1 ] || { echo "$t"; fail "round $1: $revs revisions left"; }
  [ "$(lock_count)" -eq 0 ] || fail "round $1: a lock container is left"
}

# round: version desired kill-after-seconds
rounds=("1 6 0.$((RANDOM % 9 + 1))" "2 6 $((RANDOM % 2 + 1)).$((RANDOM % 10))"
        "3 9 $((RANDOM % 3)).$((RANDOM % 10))" "4 7 $((RANDOM % 3 + 1)).$((RANDOM % 10))")
i=0
for r in "${rounds[@]}"; do
  read -r version desired delay <<<"$r"
  i=$((i + 1))
  write_src "$version" "$desired"
  "$STOWAGE_BINARY" apply "$src" --auto-approve --settle 2 >"$work/killed.$i" 2>&1 &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  before=$(tasks_of k | wc -l)
  held=$(lock_count)  # the dead apply's lock, if it got that far
  start=$(date +%s)
  apply_src >"$work/again.$i" 2>&1 || { rc=$?; cat "$work/again.$i"; fail "round $i: apply after kill -9 exited $rc"; }
  took=$(( $(date +%s) - start ))
  grep -q "is locked by" "$work/again.$i" && fail "round $i: the dead holder's lock was waited for"
  if [ "$held" -gt 0 ]; then
    grep -q "breaking the stale lock of .* (pid $pid)" "$work/again.$i" ||
      { cat "$work/again.$i"; fail "round $i: the dead holder's lock was not reported as broken"; }
  fi
  check_converged "$i" "$desired"
  apply_src >"$work/noop.$i" 2>&1 || fail "round $i: third apply exited $?"
  grep -q "No changes" "$work/noop.$i" || { cat "$work/noop.$i"; fail "round $i: not converged"; }
  echo "ok: round $i: killed after ${delay}s ($before containers, $held lock(s) then), re-apply converged in ${took}s to $desired tasks of version $version"
done
