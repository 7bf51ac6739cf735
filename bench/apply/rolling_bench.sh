#!/usr/bin/env bash
# bench/apply/rolling_bench.sh: a rolling image update of TASKS tasks (default 60)
# that ignore SIGTERM (`sleep 3600` as PID 1 of stowage/busybox), minimum 100 %,
# maximum 200 %, with stowage and with Docker Swarm on the same engine, in one run.
#
#   bench/apply/rolling_bench.sh [STOWAGE_BINARY] [TASKS] [STOP_GRACE_SECONDS]
#
# Both get the same stop grace period (default 30 s, ECS's stopTimeout default:
# the task definition's stopTimeout, Swarm's --stop-grace-period) and neither waits
# for a health check (no HEALTHCHECK; stowage --settle 0, as a task without one is
# healthy once running in ECS; Swarm start-first replaces a task once the new one
# runs). The update is to a second tag of the same image (stowage/busybox:2), so
# no pull. Measured:
#   - from empty: `stowage apply` vs `docker service create` (wall time);
#   - rolling update: `stowage apply` vs `docker service update --image ...
#     --update-parallelism 0 --update-order start-first` (wall time), and for both
#     the time until the engine runs only new tasks (sampled every 0.25 s), since
#     both return before the old tasks have stopped (`docker service update`
#     once the new tasks run; `stowage apply` once they are healthy and the old
#     ones are told to stop: the engine kills them after the grace).
# Engine: $STOWAGE_BENCH_ENGINE (a unix:// URL; swarm mode is turned on and off on
# it) if set, else one private engine started with tests/harness/engines.sh under
# /tmp/stw-bench-roll (needs root) and stopped at the end. Run it with `nice`.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-build/stowage}")
tasks=${2:-60}
grace=${3:-30}
root=/tmp/stw-bench-roll
started=""
if [ -z "${STOWAGE_BENCH_ENGINE:-}" ]; then
  tests/harness/engines.sh start 1 "$root" >/dev/null
  started=1
  STOWAGE_BENCH_ENGINE=$(grep '^STOWAGE_TEST_ENGINE_1=' "$root/engines.env" | cut -d= -f2)
fi
engine=$STOWAGE_BENCH_ENGINE
export DOCKER_HOST=$engine
src=$(mktemp -d)
cluster=rollbench
svc=rollbench-sw

remove_all() {
  docker service rm "$svc" >/dev/null 2>&1 || true
  local ids
  ids=$(docker ps -aq --filter "label=io.stowage.cluster=$cluster"
        docker ps -aq --filter "label=com.docker.swarm.service.name=$svc")
  # shellcheck disable=SC2086
  [ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
  return 0
}
finish() {
  remove_all
  docker swarm leave --force >/dev/null 2>&1 || true
  rm -rf "$src"
  [ -n "$started" ] && tests/harness/engines.sh stop "$root" >/dev/null
  return 0
}
trap finish EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# Seconds from T0 until the engine runs exactly TASKS containers of FILTER, all of
# image IMAGE (polled every 0.25 s, up to 10 minutes); prints the seconds.
until_only() {
  local t0=$1 filter=$2 image=$3 i out
  for ((i = 0; i < 2400; i++)); do
    out=$(docker ps --filter "$filter" --format '{{.Image}}' | sort | uniq -c)
    if [ "$(echo "$out" | wc -l)" -eq 1 ] && [ "$(echo "$out" | awk '{ print $1 " " $2 }')" = "$tasks $image" ]; then
      since "$t0"
      return 0
    fi
    sleep 0.25
  done
  echo "timeout"
}

docker tag stowage/busybox:1 stowage/busybox:2
cat >"$src/cluster.yaml" <<YAML
kind: Cluster
name: $cluster
hosts:
  - name: h1
    endpoint: $engine
YAML
write_service() {
  cat >"$src/svc.yaml" <<YAML
family: sleeper
containerDefinitions:
  - name: main
    image: $1
    memoryReservation: 6
    command: ["sleep", "3600"]
    stopTimeout: $grace
---
serviceName: sleeper
taskDefinition: sleeper
desiredCount: $tasks
deploymentConfiguration:
  minimumHealthyPercent: 100
  maximumPercent: 200
YAML
}

echo "machine: $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
remove_all

# stowage
write_service stowage/busybox:1
t0=$(now)
"$bin" apply "$src" --auto-approve --settle 0 >"$src/apply1.log" 2>&1 || { cat "$src/apply1.log"; exit 1; }
st_create=$(since "$t0")
write_service stowage/busybox:2
t0=$(now)
( until_only "$t0" "label=io.stowage.cluster=$cluster" stowage/busybox:2 >"$src/st_only" ) &
sampler=$!
"$bin" apply "$src" --auto-approve --settle 0 >"$src/apply2.log" 2>&1 || { cat "$src/apply2.log"; exit 1; }
st_update=$(since "$t0")
wait "$sampler"
st_only=$(cat "$src/st_only")
remove_all

# Docker Swarm
docker swarm init --advertise-addr 127.0.0.1 >/dev/null
t0=$(now)
docker service create -q --name "$svc" --replicas "$tasks" --no-resolve-image \
  --stop-grace-period "${grace}s" stowage/busybox:1 sleep 3600 >/dev/null
sw_create=$(since "$t0")
t0=$(now)
( until_only "$t0" "label=com.docker.swarm.service.name=$svc" stowage/busybox:2 >"$src/sw_only" ) &
sampler=$!
docker service update -q --image stowage/busybox:2 --no-resolve-image \
  --update-parallelism 0 --update-order start-first "$svc" >/dev/null
sw_update=$(since "$t0")
wait "$sampler"
sw_only=$(cat "$src/sw_only")

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$tasks tasks of 'sleep 3600' (ignores SIGTERM), min 100 % / max 200 %, stop grace ${grace} s, one engine"
printf '%-34s %10s %10s\n' "" "stowage" "swarm"
printf '%-34s %9ss %9ss\n' "from empty (command)" "$st_create" "$sw_create"
printf '%-34s %9ss %9ss\n' "rolling update (command)" "$st_update" "$sw_update"
printf '%-34s %9ss %9ss\n' "rolling update (only new tasks)" "$st_only" "$sw_only"
awk -v s="$st_update" -v w="$sw_update" -v so="$st_only" -v wo="$sw_only" 'BEGIN {
  printf "ratio stowage/swarm, rolling update: command %.2f, only new tasks %.2f (target <= 1)\n", s / w, so / wo }'
