#!/usr/bin/env bash
# stowage watch against a bare repository and the harness's three engines:
# commit -> converged; invalid commit -> nothing changes, error in log, /status
# and /metrics; next valid commit applies; webhook: good signature fetches at
# once, bad or missing gets 401; remote gone then back -> recovers; SIGTERM -> 0.
set -euo pipefail
: "${STOWAGE_BINARY:?}" "${STOWAGE_TEST_ENGINES:?}" "${STOWAGE_TEST_IMAGE:?}"
work=$(mktemp -d /tmp/stowage-watch-test-XXXXXX)
cluster="watch-it-$$"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  IFS=, read -ra socks <<<"$STOWAGE_TEST_ENGINES"
  for s in "${socks[@]}"; do
    ids=$(DOCKER_HOST=$s docker ps -aq --filter "label=io.stowage.cluster=$cluster" || true)
    [ -n "$ids" ] && DOCKER_HOST=$s docker rm -f $ids >/dev/null || true
    ids=$(DOCKER_HOST=$s docker ps -aq --filter "label=io.stowage.lock=$cluster" || true)
    [ -n "$ids" ] && DOCKER_HOST=$s docker rm -f $ids >/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- watch log" >&2; cat "$work/watch.log" >&2; exit 1; }
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local t=$1 what=$2; shift 2
  for _ in $(seq $((t * 5))); do "$@" && return 0; sleep 0.2; done
  fail "timed out waiting for $what"
}

git init -q --bare -b main "$work/remote.git"
git clone -q "$work/remote.git" "$work/clone" 2>/dev/null
cd "$work/clone"
git config user.name test && git config user.email test@test
IFS=, read -ra socks <<<"$STOWAGE_TEST_ENGINES"
{
  echo "kind: Cluster"
  echo "name: $cluster"
  echo "hosts:"
  i=1
  for s in "${socks[@]}"; do echo "  - name: h$i"; echo "    endpoint: $s"; i=$((i + 1)); done
} >cluster.yaml
write_web() {  # write_web MESSAGE
  cat >web.yaml <<YAML
family: web
containerDefinitions:
  - name: app
    image: $STOWAGE_TEST_IMAGE
    cpu: 16
    memory: 16
    command: ["sh", "-c", "echo $1; exec sleep 3600"]
    stopTimeout: 1
---
serviceName: web
taskDefinition: web
desiredCount: 3
YAML
}
write_web v1
git add -A && git commit -qm v1 && git push -q origin main

export STOWAGE_WEBHOOK_SECRET=test-secret
port=$((20000 + $$ % 20000))
"$STOWAGE_BINARY" watch --repo "file://$work/remote.git" --cache-dir "$work/cache" \
  --interval 1s --resync 5s --listen "127.0.0.1:$port" >"$work/watch.log" 2>&1 &
pid=$!

running() {  # running COUNT MESSAGE: COUNT running tasks whose command says MESSAGE
  local n=0
  for s in "${socks[@]}"; do
    for id in $(DOCKER_HOST=$s docker ps -q --filter "label=io.stowage.cluster=$cluster"); do
      DOCKER_HOST=$s docker inspect -f '{{join .Config.Cmd " "}}' "$id" | grep -q "echo $2;" && n=$((n + 1))
    done
  done
  [ "$n" -eq "$1" ]
}
wait_for 90 "v1 converged" running 3 v1
rev1=$(git rev-parse HEAD)
wait_for 10 "status shows v1" sh -c "curl -sf localhost:$port/status | grep -q '\"revision_applied\": \"$rev1\"'"
curl -sf "localhost:$port/healthz" | grep -qx ok || fail "/healthz"

# An image change (here: the command) converges with the new revision.
write_web v2 && git commit -qam v2 && git push -q origin main
wait_for 90 "v2 converged" running 3 v2
rev2=$(git rev-parse HEAD)
wait_for 60 "status shows v2" sh -c "curl -sf localhost:$port/status | grep -q '\"revision_applied\": \"$rev2\"'"

# An invalid commit: nothing changes; the error is in the log, /status, /metrics.
echo "desiredCount: three" >>web.yaml && git commit -qam broken && git push -q origin main
bad=$(git rev-parse HEAD)
wait_for 20 "invalid commit reported" sh -c "curl -sf localhost:$port/metrics | grep -qx 'stowage_revision_failed 1'"
curl -sf "localhost:$port/status" | grep -q "\"revision\": \"$bad\"" || fail "/status error"
grep -q "revision ${bad:0:12} is invalid, skipped" "$work/watch.log" || fail "log error"
running 3 v2 || fail "invalid commit changed the fleet"

# The webhook: missing or bad signature -> 401, good -> fetch now.
body='{"ref":"refs/heads/main"}'
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data "$body" "localhost:$port/hooks/git")
[ "$code" = 401 ] || fail "unsigned hook got $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data "$body" \
  -H "X-Hub-Signature-256: sha256=0000" "localhost:$port/hooks/git")
[ "$code" = 401 ] || fail "badly signed hook got $code"
sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$STOWAGE_WEBHOOK_SECRET" | sed 's/^.* //')
write_web v3 && git commit -qam v3 && git push -q origin main
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data "$body" \
  -H "X-Hub-Signature-256: sha256=$sig" "localhost:$port/hooks/git")
[ "$code" = 202 ] || fail "signed hook got $code"
wait_for 90 "v3 converged" running 3 v3

# The remote goes away, then comes back.
mv "$work/remote.git" "$work/remote.away"
wait_for 20 "fetch error counted" sh -c "curl -sf localhost:$port/metrics | grep -q '^stowage_source_fetch_errors_total [1-9]'"
mv "$work/remote.away" "$work/remote.git"
write_web v4 && git commit -qam v4 && git push -q origin main
wait_for 120 "v4 converged after the remote came back" running 3 v4

kill -TERM "$pid"
wait "$pid" && rc=0 || rc=$?
pid=""
[ "$rc" = 0 ] || fail "watch exited $rc on SIGTERM"
echo "watch integration test passed"
