#!/usr/bin/env bash
# stowage apply on three real engines: examples/ from empty, a second apply is a
# no-op, a killed container is replaced, an unlabelled container is untouched,
# a second concurrent apply is refused by the lock, a failing health check trips
# the circuit breaker and rolls back (exit 3). Uses its own cluster name.
set -uo pipefail
: "${STOWAGE_BINARY:?}" "${STOWAGE_SOURCE_DIR:?}" "${STOWAGE_TEST_ENGINE_1:?}"
work=$(mktemp -d)
trap 'for i in 1 2 3; do e=STOWAGE_TEST_ENGINE_$i; ids=$(docker -H "${!e}" ps -aq --filter label=io.stowage.cluster=itapply; docker -H "${!e}" ps -aq --filter label=io.stowage.lock=itapply; docker -H "${!e}" ps -aq --filter label=io.stowage.history=itapply; docker -H "${!e}" ps -aq --filter name=itapply-hand); [ -n "$ids" ] && docker -H "${!e}" rm -f $ids >/dev/null; done; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cp -r "$STOWAGE_SOURCE_DIR/examples/." "$work/"
rm -rf "$work/batch"
sed -i "s/^name: demo/name: itapply/" "$work/cluster.yaml"
for i in 1 2 3; do
  e=STOWAGE_TEST_ENGINE_$i
  sed -i "/- name: host-$i\$/{n;s|endpoint: default|endpoint: ${!e}|}" "$work/cluster.yaml"
done
grep -q "endpoint: default" "$work/cluster.yaml" && fail "cluster file not rewritten"
apply() { "$STOWAGE_BINARY" apply "$work" --auto-approve --settle "${SETTLE:-2}" "$@"; }
count() {  # containers of cluster itapply running on engine $1 (optionally service $2)
  local e=STOWAGE_TEST_ENGINE_$1 f=(--filter label=io.stowage.cluster=itapply)
  [ -n "${2:-}" ] && f+=(--filter "label=io.stowage.service=$2")
  docker -H "${!e}" ps -q "${f[@]}" | wc -l
}
total() { echo $(( $(count 1 "$@") + $(count 2 "$@") + $(count 3 "$@") )); }

apply >"$work/out1" 2>&1 || { cat "$work/out1"; fail "first apply exited $?"; }
[ "$(total web)" -eq 3 ] || fail "web: $(total web) running, want 3"
[ "$(total worker)" -eq 2 ] || fail "worker: $(total worker) running, want 2"
for i in 1 2 3; do [ "$(count $i log-shipper)" -eq 1 ] || fail "log-shipper not on host $i"; done
echo "ok: examples applied from empty"

apply >"$work/out2" 2>&1 || fail "second apply exited $?"
grep -q "No changes" "$work/out2" || { cat "$work/out2"; fail "second apply was not a no-op"; }
echo "ok: second apply is a no-op"

docker -H "$STOWAGE_TEST_ENGINE_1" run -d --name itapply-hand stowage/busybox:1 sleep 300 >/dev/null
victim=$(docker -H "$STOWAGE_TEST_ENGINE_1" ps -q --filter label=io.stowage.cluster=itapply \
         --filter label=io.stowage.service=web | head -1)
docker -H "$STOWAGE_TEST_ENGINE_1" kill "$victim" >/dev/null
apply >"$work/out3" 2>&1 || { cat "$work/out3"; fail "healing apply exited $?"; }
[ "$(total web)" -eq 3 ] || fail "web not healed: $(total web) running"
docker -H "$STOWAGE_TEST_ENGINE_1" ps -q --filter name=itapply-hand | grep -q . ||
  fail "the unlabelled container was touched"
echo "ok: killed container replaced, unlabelled container untouched"

sed -i 's|desiredCount: 2|desiredCount: 4|' "$work/worker.yaml"
SETTLE=5 apply >"$work/out4a" 2>&1 &
first=$!
sleep 1
apply >"$work/out4b" 2>&1
second=$?
wait $first || { cat "$work/out4a"; fail "first of two concurrent applies failed"; }
[ "$second" -eq 1 ] && grep -q "cluster itapply is locked by" "$work/out4b" ||
  { cat "$work/out4b"; fail "second concurrent apply was not refused by the lock"; }
[ "$(total worker)" -eq 4 ] || fail "worker not scaled to 4"
echo "ok: two applies at once, one refused with the holder; scale up"

sed -i 's|http://127.0.0.1:8080/|http://127.0.0.1:8081/|' "$work/web.yaml"
apply >"$work/out5" 2>&1
rc=$?
[ "$rc" -eq 3 ] || { cat "$work/out5"; fail "failing health check: exit $rc, want 3"; }
grep -q "web: rolled back" "$work/out5" || fail "no rollback reported"
[ "$(total web)" -eq 3 ] || fail "web after rollback: $(total web) running, want 3"
echo "ok: circuit breaker and rollback, exit 3"
