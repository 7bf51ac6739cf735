#!/usr/bin/env bash
# bench/apply: 150 tasks across three engines from empty, stowage apply vs
# `docker run` through `xargs -P8` on the same engines in the same run.
# Prints both rates (tasks/s) and the ratio stowage/CLI (target >= 0.95).
#
#   bench/apply/apply_bench.sh [STOWAGE_BINARY] [TASKS]
# Engines: $STOWAGE_TEST_ENGINES (comma-separated, 3 of them) if set, else three
# private engines started with tests/harness/engines.sh under /tmp/stw-bench-apply
# (needs root) and stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/stowage}
tasks=${2:-150}
root=/tmp/stw-bench-apply
started=""
if [ -z "${STOWAGE_TEST_ENGINES:-}" ]; then
  tests/harness/engines.sh start 3 "$root" >/dev/null
  started=1
  STOWAGE_TEST_ENGINES=$(grep '^STOWAGE_TEST_ENGINES=' "$root/engines.env" | cut -d= -f2)
fi
IFS=, read -r -a engines <<<"$STOWAGE_TEST_ENGINES"
src=$(mktemp -d)
cleanup() {
  for e in "${engines[@]}"; do
    ids=$(docker -H "$e" ps -aq --filter label=io.stowage.cluster=bench --filter label=bench=cli)
    ids="$ids $(docker -H "$e" ps -aq --filter label=bench=cli)"
    # shellcheck disable=SC2086
    [ -n "${ids// /}" ] && docker -H "$e" rm -f $ids >/dev/null
  done
  return 0
}
finish() {
  cleanup
  rm -rf "$src"
  [ -n "$started" ] && tests/harness/engines.sh stop "$root" >/dev/null
  return 0
}
trap finish EXIT

{
  echo "kind: Cluster"
  echo "name: bench"
  echo "hosts:"
  for i in "${!engines[@]}"; do
    echo "  - name: h$((i + 1))"
    echo "    endpoint: ${engines[$i]}"
  done
} >"$src/cluster.yaml"
cat >"$src/svc.yaml" <<YAML
family: sleeper
containerDefinitions:
  - name: main
    image: stowage/busybox:1
    memoryReservation: 6
    command: ["sleep", "3600"]
---
serviceName: sleeper
taskDefinition: sleeper
desiredCount: $tasks
YAML

now() { date +%s.%N; }
cleanup
t0=$(now)
"$bin" apply "$src" --auto-approve --settle 0 --parallelism 8 >/dev/null
t1=$(now)
running=0
for e in "${engines[@]}"; do
  running=$((running + $(docker -H "$e" ps -q --filter label=io.stowage.cluster=bench | wc -l)))
done
[ "$running" -eq "$tasks" ] || { echo "stowage started $running of $tasks" >&2; exit 1; }
cleanup

t2=$(now)
for i in $(seq 1 "$tasks"); do
  echo "${engines[$((i % ${#engines[@]}))]} cli-$i"
done | xargs -P8 -n2 sh -c 'docker -H "$0" run -d --label bench=cli --name "bench-$1" stowage/busybox:1 sleep 3600 >/dev/null'
t3=$(now)
cleanup

awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v n="$tasks" 'BEGIN {
  s = n / (b - a); k = n / (d - c);
  printf "stowage apply: %d tasks in %.2f s = %.1f tasks/s\n", n, b - a, s;
  printf "docker run (xargs -P8): %d tasks in %.2f s = %.1f tasks/s\n", n, d - c, k;
  printf "ratio stowage/cli: %.2f (target >= 0.95)\n", s / k }'
