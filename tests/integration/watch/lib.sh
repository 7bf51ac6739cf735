# Shared by the watch integration tests (sourced, not run): a scratch work
# directory, a bare repository with a clone whose cluster file lists the
# harness's engines, a `web` service written by write_web, the watcher started
# in the background, and helpers that read the engines and the watcher's
# /metrics. Everything a test creates carries its cluster name and is removed
# on exit.
source "$(dirname "${BASH_SOURCE[0]}")/../../harness/lib.sh"
: "${STOWAGE_BINARY:?}" "${STOWAGE_TEST_ENGINES:?}" "${STOWAGE_TEST_IMAGE:?}"
work=$(mktemp -d /tmp/stowage-watch-test-XXXXXX)
cluster="watch-it-$$"
pid=""
port=$((20000 + $$ % 20000))
IFS=, read -ra socks <<<"$STOWAGE_TEST_ENGINES"
alt_image="${STOWAGE_TEST_IMAGE%%:*}:$cluster"  # tag_alt_image makes it on every engine

cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  for s in "${socks[@]}"; do
    ids=$(DOCKER_HOST=$s docker ps -aq --filter "label=io.stowage.cluster=$cluster" || true)
    [ -n "$ids" ] && DOCKER_HOST=$s docker rm -f $ids >/dev/null || true
    ids=$(DOCKER_HOST=$s docker ps -aq --filter "label=io.stowage.lock=$cluster" || true)
    [ -n "$ids" ] && DOCKER_HOST=$s docker rm -f $ids >/dev/null || true
    ids=$(DOCKER_HOST=$s docker ps -aq --filter "label=io.stowage.history=$cluster" || true)
    [ -n "$ids" ] && DOCKER_HOST=$s docker rm -f $ids >/dev/null || true
    DOCKER_HOST=$s docker rmi "$alt_image" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
exit_on_signals  # a ctest timeout (TERM) or ^C still runs cleanup
fail() { echo "FAIL: $*" >&2; echo "--- watch log" >&2; cat "$work/watch.log" >&2; exit 1; }
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local t=$1 what=$2; shift 2
  for _ in $(seq $((t * 5))); do "$@" && return 0; sleep 0.2; done
  fail "timed out waiting for $what"
}

# A bare repository ($work/remote.git) and a clone ($work/clone, the current
# directory afterwards) holding cluster.yaml with hosts h1..h3.
make_repo() {
  git init -q --bare -b main "$work/remote.git"
  git clone -q "$work/remote.git" "$work/clone" 2>/dev/null
  cd "$work/clone"
  git config user.name test && git config user.email test@test
  local i=1
  {
    echo "kind: Cluster"
    echo "name: $cluster"
    echo "hosts:"
    for s in "${socks[@]}"; do echo "  - name: h$i"; echo "    endpoint: $s"; i=$((i + 1)); done
  } >cluster.yaml
}

# The test image under a second name on every engine: a new image for a commit.
tag_alt_image() {
  local s
  for s in "${socks[@]}"; do DOCKER_HOST=$s docker tag "$STOWAGE_TEST_IMAGE" "$alt_image"; done
}

# write_web MESSAGE [HEALTHCHECK-COMMAND]: three tasks whose command echoes
# MESSAGE (image $WEB_IMAGE, default the test image); with a health check
# command, a circuit breaker that rolls back.
write_web() {
  cat >web.yaml <<YAML
family: web
containerDefinitions:
  - name: app
    image: ${WEB_IMAGE:-$STOWAGE_TEST_IMAGE}
    cpu: 16
    memory: 16
    command: ["sh", "-c", "echo $1; exec sleep 3600"]
    stopTimeout: 1
YAML
  if [ -n "${2:-}" ]; then
    cat >>web.yaml <<YAML
    healthCheck:
      command: ["CMD-SHELL", "$2"]
      interval: 5
      timeout: 2
      retries: 1
      startPeriod: 0
YAML
  fi
  cat >>web.yaml <<YAML
---
serviceName: web
taskDefinition: web
desiredCount: 3
deploymentConfiguration:
  deploymentCircuitBreaker:
    enable: true
    rollback: true
YAML
}

commit() { git add -A && git commit -qm "$1" && git push -q origin main; }

start_watch() {  # start_watch WATCH-ARGS...: the watcher on $work/remote.git, log in watch.log
  "$STOWAGE_BINARY" watch --repo "file://$work/remote.git" --cache-dir "$work/cache" \
    --listen "127.0.0.1:$port" "$@" >"$work/watch.log" 2>&1 &
  pid=$!
}

stop_watch() {
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  pid=""
  [ "$rc" = 0 ] || fail "watch exited $rc on SIGTERM"
}

running() {  # running COUNT MESSAGE: COUNT running tasks whose command says MESSAGE
  local n=0 s id
  for s in "${socks[@]}"; do
    for id in $(DOCKER_HOST=$s docker ps -q --filter "label=io.stowage.cluster=$cluster"); do
      DOCKER_HOST=$s docker inspect -f '{{join .Config.Cmd " "}}' "$id" | grep -q "echo $2;" && n=$((n + 1))
    done
  done
  [ "$n" -eq "$1" ]
}

# Ids of the cluster's running containers on all engines, straight from the
# Engine API (cheaper than the docker CLI, for timing).
running_ids() {
  local s filter
  filter=$(printf '{"label":["io.stowage.cluster=%s"],"status":["running"]}' "$cluster" |
    sed 's/{/%7B/g; s/}/%7D/g; s/"/%22/g; s/\[/%5B/g; s/\]/%5D/g; s/:/%3A/g; s/=/%3D/g; s/,/%2C/g')
  for s in "${socks[@]}"; do
    curl -s --unix-socket "${s#unix://}" "http://localhost/containers/json?filters=$filter" |
      grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4
  done
}

images() {  # the images of the cluster's running containers, one line each, sorted
  local s
  for s in "${socks[@]}"; do
    DOCKER_HOST=$s docker ps --filter "label=io.stowage.cluster=$cluster" --format '{{.Image}}'
  done | sort
}

metric() {  # metric SAMPLE: the value of one /metrics sample (0 when absent)
  local v
  v=$(curl -sf "localhost:$port/metrics" | awk -v s="$1" '$1 == s { print $2 }')
  echo "${v:-0}"
}

reconciles() {  # reconcile runs so far, all outcomes
  curl -sf "localhost:$port/metrics" |
    awk '/^stowage_reconcile_runs_total\{/ { n += $2 } END { print n + 0 }'
}
