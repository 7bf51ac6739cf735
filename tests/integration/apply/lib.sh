# Shared by the apply integration scripts (sourced, not run).
#
# Every script gets its own cluster name ($cluster, unique per run) and work
# directory ($work, with the source in $src); `cleanup` (trap EXIT) removes
# every container and volume of that cluster, its lock and its deploy history from the shared
# engines, stops the engines the script started itself (own_engine ROOT),
# and removes $work.
#   engine N          the URL of shared engine N (1..3)
#   running E [SVC]   running containers of the cluster on engine URL E
#                     (optionally of service SVC)
#   apply_src ARGS    stowage apply $src --auto-approve ARGS (settle 1 s)
#   lock_count        lock containers of the cluster left on the shared engines
#   wait_for DESC SECS CMD...   polls CMD every 0.2 s until it succeeds
# and those of tests/harness/lib.sh (web_httpd_td, hap, ...); TERM and INT
# also end in `cleanup`.
source "$(dirname "${BASH_SOURCE[0]}")/../../harness/lib.sh"
set -uo pipefail
: "${STOWAGE_BINARY:?}" "${STOWAGE_TEST_ENGINE_1:?}" "${STOWAGE_HARNESS:?}"
cluster="it-${STOWAGE_IT_NAME:-apply}-$$"
work=$(mktemp -d "/tmp/stowage-${STOWAGE_IT_NAME:-apply}.XXXXXX")
src=$work/src
mkdir -p "$src"
own_roots=()

engine() { local e=STOWAGE_TEST_ENGINE_$1; echo "${!e}"; }
all_engines() { engine 1; engine 2; engine 3; }

cleanup() {
  local e ids vols root
  for e in $(all_engines); do
    ids=$(docker -H "$e" ps -aq --filter "label=io.stowage.cluster=$cluster"
          docker -H "$e" ps -aq --filter "label=io.stowage.lock=$cluster"
          docker -H "$e" ps -aq --filter "label=io.stowage.history=$cluster")
    [ -n "$ids" ] && docker -H "$e" rm -f $ids >/dev/null 2>&1
    vols=$(docker -H "$e" volume ls -q --filter "label=io.stowage.cluster=$cluster")
    [ -n "$vols" ] && docker -H "$e" volume rm -f $vols >/dev/null 2>&1
  done
  for root in "${own_roots[@]}"; do "$STOWAGE_HARNESS" stop "$root" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT
exit_on_signals  # a ctest timeout (TERM) or ^C still runs cleanup

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Starts one engine of this script's own under ROOT (kept short); its URL is
# unix://ROOT/e1.sock. Call it directly, not in $(...): a subshell would not
# record ROOT for cleanup, and the engine would outlive the test.
own_engine() {
  local root=$1
  own_roots+=("$root")
  "$STOWAGE_HARNESS" start 1 "$root" >/dev/null 2>&1 || fail "could not start an engine under $root"
}

running() {
  local f=(--filter "label=io.stowage.cluster=$cluster")
  [ -n "${2:-}" ] && f+=(--filter "label=io.stowage.service=$2")
  docker -H "$1" ps -q "${f[@]}" | wc -l
}

# Running containers of the cluster (optionally of service $1) on the shared engines.
running_total() {
  local n=0 e
  for e in $(all_engines); do n=$((n + $(running "$e" "${1:-}"))); done
  echo "$n"
}

# "host task revision state" of every container of service $1 on the shared engines.
tasks_of() {
  local e
  for e in $(all_engines); do
    docker -H "$e" ps -a --filter "label=io.stowage.cluster=$cluster" \
      --filter "label=io.stowage.service=$1" \
      --format '{{.Label "io.stowage.host"}} {{.Label "io.stowage.task"}} {{.Label "io.stowage.revision"}} {{.State}}'
  done
}

lock_count() {
  local n=0 e
  for e in $(all_engines); do
    n=$((n + $(docker -H "$e" ps -aq --filter "label=io.stowage.lock=$cluster" | wc -l)))
  done
  echo "$n"
}

apply_src() { "$STOWAGE_BINARY" apply "$src" --auto-approve --settle 1 "$@"; }

wait_for() {
  local desc=$1 secs=$2 i
  shift 2
  for ((i = 0; i < secs * 5; i++)); do
    "$@" && return 0
    sleep 0.2
  done
  fail "timed out after ${secs}s waiting for $desc"
}

# Writes $src/cluster.yaml; each host is "name|endpoint|attributes-yaml|reserved-yaml"
# (the last two may be empty).
write_cluster() {
  {
    echo "kind: Cluster"
    echo "name: $cluster"
    echo "hosts:"
    local h name endpoint attrs reserved
    for h in "$@"; do
      IFS='|' read -r name endpoint attrs reserved <<<"$h"
      echo "  - name: $name"
      echo "    endpoint: $endpoint"
      [ -n "$attrs" ] && echo "    attributes: $attrs"
      [ -n "$reserved" ] && echo "    reserved: $reserved"
    done
  } >"$src/cluster.yaml"
}

# Prints a task definition FAMILY of one container that sleeps until SIGTERM
# (memory MEM MiB, environment VERSION=$3 when given: a new revision per
# version), followed by a document separator.
sleeper_td() {
  cat <<YAML
family: $1
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    memory: $2
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    environment:
      - name: VERSION
        value: "${3:-0}"
    stopTimeout: 1
---
YAML
}

# Prints a REPLICA service of task definition FAMILY (same name): desired
# count, minimumHealthyPercent, maximumPercent.
replica_service() {
  cat <<YAML
serviceName: $1
taskDefinition: $1
desiredCount: $2
deploymentConfiguration:
  minimumHealthyPercent: $3
  maximumPercent: $4
YAML
}
