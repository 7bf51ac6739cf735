#!/usr/bin/env bash
# The deploy history on real engines, and `stowage rollback`:
# - two applies from one machine (clone + cache dir) are listed by
#   `stowage history` from "another machine": a second clone and another
#   cache dir, as a fresh CI runner has;
# - `stowage rollback` from there restores the previous image (docker
#   inspect), labelled with the commit it came from, and is recorded;
# - a fresh watcher does not undo the rollback (the head stays quarantined)
#   until a newer commit arrives, which it deploys.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

make_repo
tag_alt_image
write_web v1
commit v1
v1=$(git rev-parse HEAD)
apply() { "$STOWAGE_BINARY" apply --repo "file://$work/remote.git" --cache-dir "$work/cache" \
  --auto-approve --settle 1 >>"$work/apply.log" 2>&1 || fail "apply failed: $(cat "$work/apply.log")"; }
apply
WEB_IMAGE=$alt_image write_web v2
commit v2
v2=$(git rev-parse HEAD)
apply
[ "$(images | uniq)" = "$alt_image" ] || fail "v2 not applied: $(images)"

# Another machine: its own clone and cache.
git clone -q "$work/remote.git" "$work/other"
hist=$("$STOWAGE_BINARY" history --repo "file://$work/remote.git" --cache-dir "$work/cache2" --json)
echo "$hist" | python3 -c '
import json, sys
h = json.load(sys.stdin)
r = h["records"]
assert [x["revision"] for x in r] == [sys.argv[1], sys.argv[2]], r
assert [x["subject"] for x in r] == ["v2", "v1"], r
assert all(x["outcome"] == "converged" and x["command"] == "apply" and x["git"] for x in r), r
assert r[0]["author"] == "test <test@test>", r
assert r[0]["services"][0]["service"] == "web", r
assert r[0]["services"][0]["before"] == r[1]["services"][0]["target"] != r[0]["services"][0]["target"], r
assert h["invalid_records"] == 0 and h["unreachable_hosts"] == [], h
' "$v2" "$v1" || fail "history --json: $hist"
text=$("$STOWAGE_BINARY" history "$work/other")
echo "$text" | grep -q "apply by .*  ${v2:0:12}  converged" || fail "history text: $text"
echo "$text" | grep -q "  commit: v1 (test <test@test>)" || fail "history text: $text"

# Rollback from the other machine: v1's image again, from v1's commit.
"$STOWAGE_BINARY" rollback --repo "file://$work/remote.git" --cache-dir "$work/cache2" \
  --auto-approve --settle 1 >"$work/rollback.log" 2>&1 || fail "rollback: $(cat "$work/rollback.log")"
grep -q "Rolling back cluster $cluster from ${v2:0:12} to ${v1:0:12}" "$work/rollback.log" ||
  fail "rollback log: $(cat "$work/rollback.log")"
n=0
for s in "${socks[@]}"; do
  for id in $(DOCKER_HOST=$s docker ps -q --filter "label=io.stowage.cluster=$cluster"); do
    got=$(DOCKER_HOST=$s docker inspect -f '{{.Config.Image}} {{index .Config.Labels "io.stowage.commit"}}' "$id")
    [ "$got" = "$STOWAGE_TEST_IMAGE $v1" ] || fail "after rollback $id runs $got"
    n=$((n + 1))
  done
done
[ "$n" = 3 ] || fail "after rollback: $n tasks run"
top=$("$STOWAGE_BINARY" history --repo "file://$work/remote.git" --cache-dir "$work/cache" | head -2)
echo "$top" | grep -q "rollback by .*  ${v1:0:12}  converged" || fail "history after rollback: $top"
echo "$top" | grep -q "instead of ${v2:0:12}" || fail "history after rollback: $top"

# A fresh watcher stays on the rollback: v2 (the head) is not deployed.
start_watch --interval 1s --resync 2s --settle 1s
wait_for 60 "the watcher skipped the head" grep -q "reconciled ${v2:0:12}: rolled_back" "$work/watch.log"
grep -q "not deployed again: the deploy history records a rollback from it" "$work/watch.log" ||
  fail "watch log does not say why"
# It knows its last good revision (from the history) and stays on it.
wait_for 30 "status shows v1 applied" sh -c \
  "curl -sf localhost:$port/status | grep -q '\"revision_applied\": \"$v1\"'"
grep -q "staying on ${v1:0:12}" "$work/watch.log" || fail "watch log: not staying on v1"
sleep 3
running 3 v1 || fail "the watcher undid the rollback"
# Until a newer commit arrives.
write_web v3
commit v3
wait_for 90 "v3 converged" running 3 v3
stop_watch
echo "history test passed"
