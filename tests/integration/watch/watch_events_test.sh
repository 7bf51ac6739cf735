#!/usr/bin/env bash
# stowage watch with polling out of the way (--interval and --resync 1h), so
# only the engines' event streams and the webhook can make it act:
# - a container killed by hand (docker kill, then docker rm -f) is replaced
#   within 5 s of the kill, without a commit and without a fetch;
# - a webhook with a missing or bad signature gets 401 and fetches nothing; a
#   good one fetches at once and the new commit converges.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

export STOWAGE_WEBHOOK_SECRET=test-secret
make_repo
write_web v1
commit v1
start_watch --interval 1h --resync 1h --settle 1s
wait_for 90 "v1 converged" running 3 v1
wait_for 30 "first reconcile done" sh -c "[ \$(curl -sf localhost:$port/metrics | grep -c '^stowage_reconcile_runs_total{outcome=\"converged\"} [1-9]') = 1 ]"
[ "$(metric stowage_source_fetches_total)" = 1 ] || fail "expected exactly the first fetch"

now() { date +%s.%N; }
# replace KILL-COMMAND: kills one web task with `docker KILL-COMMAND`, waits for
# three running again, prints the seconds from the kill to the replacement.
replace() {
  local before victim t0 t1
  before=$(reconciles)
  victim=$(DOCKER_HOST=${socks[0]} docker ps -q --filter "label=io.stowage.cluster=$cluster" | head -1)
  [ -n "$victim" ] || fail "no task on h1 to kill"
  t0=$(now)
  DOCKER_HOST=${socks[0]} docker "$@" "$victim" >/dev/null
  # Replaced: three running again, the victim not among them.
  until ids=$(running_ids) && [ "$(echo "$ids" | grep -c .)" -eq 3 ] &&
      ! echo "$ids" | grep -q "^$victim"; do
    awk -v a="$(now)" -v b="$t0" 'BEGIN { exit !(a - b > 30) }' && fail "not replaced in 30 s"
    sleep 0.05
  done
  t1=$(now)
  grep -q "container ${victim:0:12} die: reconciling" "$work/watch.log" || fail "no die event logged"
  wait_for 30 "the healing reconcile done" sh -c "[ \$(curl -sf localhost:$port/metrics | awk '/^stowage_reconcile_runs_total\\{/ { n += \$2 } END { print n + 0 }') -gt $before ]"
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.2f\n", a - b }'
}

took=$(replace kill)
echo "docker kill: replaced in $took s"
awk -v t="$took" 'BEGIN { exit !(t < 5) }' || fail "docker kill: replaced in $took s, want < 5 s"
took=$(replace rm -f)
echo "docker rm -f: replaced in $took s"
awk -v t="$took" 'BEGIN { exit !(t < 5) }' || fail "docker rm -f: replaced in $took s, want < 5 s"
running 3 v1 || fail "the replacements are not v1 tasks"
[ "$(metric stowage_source_fetches_total)" = 1 ] || fail "a fetch happened: not the event path"

# The webhook: nothing without a good signature; a good one fetches at once.
write_web v2
commit v2
body='{"ref":"refs/heads/main"}'
hook() { curl -s -o /dev/null -w '%{http_code}' -X POST --data "$body" "$@" "localhost:$port/hooks/git"; }
code=$(hook)
[ "$code" = 401 ] || fail "unsigned hook got $code"
code=$(hook -H "X-Hub-Signature-256: sha256=0000")
[ "$code" = 401 ] || fail "badly signed hook got $code"
sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac wrong-secret | sed 's/^.* //')
code=$(hook -H "X-Hub-Signature-256: sha256=$sig")
[ "$code" = 401 ] || fail "hook signed with the wrong secret got $code"
sleep 2
[ "$(metric stowage_source_fetches_total)" = 1 ] || fail "a rejected hook fetched"
running 3 v1 || fail "a rejected hook changed the fleet"
sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$STOWAGE_WEBHOOK_SECRET" | sed 's/^.* //')
code=$(hook -H "X-Hub-Signature-256: sha256=$sig")
[ "$code" = 202 ] || fail "signed hook got $code"
wait_for 5 "the signed hook's fetch" sh -c "[ \$(curl -sf localhost:$port/metrics | awk '\$1 == \"stowage_source_fetches_total\" { print \$2 }') = 2 ]"
wait_for 60 "v2 converged after the hook" running 3 v2
stop_watch
echo "watch events and webhook test passed"
