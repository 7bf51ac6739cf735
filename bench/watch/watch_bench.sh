#!/usr/bin/env bash
# bench/watch: stowage watch on three real engines, in two parts.
#
# 1. Commit to converge: a local bare repository with three services (two tasks
#    each), a running `stowage watch --interval INTERVAL`, and COMMITS commits
#    that each change one service's command. For each, the time from `git push`
#    to the moment all tasks of the new revision are running (read from the
#    engines' API every 50 ms) is recorded. Between commits the bench waits for
#    the deployment to finish, then for a random part of the interval, so the
#    commits land at random points of the fetch cycle. Prints p50/p95/max and
#    the target: p95 <= interval + 3 s (PASS/MISS).
# 2. Idle: a repository of 1,000 documents (500 task definitions, 500 services;
#    IDLE_TASKS of them with one task, the rest scaled to 0) watched with the
#    default --interval 15s and --resync 60s. Once converged, the watcher's CPU
#    time over IDLE_SECONDS and its RSS (peak over its life, and the mean and
#    maximum during the window) are printed.
#    Then the status page (GET /): its size (the page, /ui/main, its CSS and
#    JavaScript, raw and gzip -9), and the watcher's CPU over a second window of
#    IDLE_SECONDS with the page open in headless chromium (it polls /ui/main every
#    2 s; playwright-core from the npm cache tests/integration/web sets up), next
#    to the first window's figure without it.
#
#   bench/watch/watch_bench.sh [STOWAGE_BINARY]
# Environment: PARTS (default "latency idle": which parts to run),
# INTERVAL (default 5s), COMMITS (20), IDLE_SECONDS (60),
# IDLE_TASKS (10), STOWAGE_TEST_ENGINES (comma-separated unix:// engines; when
# unset, three private engines are started with tests/harness/engines.sh under
# /tmp/stw-bench-watch (needs root) and stopped at the end).
set -euo pipefail
top=$(realpath "$(dirname "$0")/../..")
bin=$(realpath "${1:-$top/build/stowage}")
interval=${INTERVAL:-5s}
commits=${COMMITS:-20}
idle_seconds=${IDLE_SECONDS:-60}
idle_tasks=${IDLE_TASKS:-10}
parts=${PARTS:-latency idle}
root=/tmp/stw-bench-watch
started=""
if [ -z "${STOWAGE_TEST_ENGINES:-}" ]; then
  "$top/tests/harness/engines.sh" start 3 "$root" >/dev/null
  started=1
  STOWAGE_TEST_ENGINES=$(grep '^STOWAGE_TEST_ENGINES=' "$root/engines.env" | cut -d= -f2)
fi
IFS=, read -r -a engines <<<"$STOWAGE_TEST_ENGINES"
work=$(mktemp -d /tmp/stowage-bench-watch-XXXXXX)
pid=""
port=$((20000 + $$ % 20000))

remove_cluster() {  # remove_cluster NAME: every container of the cluster, and its lock
  local e ids
  for e in "${engines[@]}"; do
    ids="$(docker -H "$e" ps -aq --filter "label=io.stowage.cluster=$1")"
    ids="$ids $(docker -H "$e" ps -aq --filter "label=io.stowage.lock=$1")"
    ids="$ids $(docker -H "$e" ps -aq --filter "label=io.stowage.history=$1")"
    # shellcheck disable=SC2086
    [ -n "${ids// /}" ] && docker -H "$e" rm -f $ids >/dev/null
  done
  return 0
}
stop_watch() {
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  pid=""
}
finish() {
  stop_watch
  remove_cluster bench-watch
  remove_cluster bench-idle
  cd /
  rm -rf "$work"
  [ -n "$started" ] && "$top/tests/harness/engines.sh" stop "$root" >/dev/null
  return 0
}
trap finish EXIT
die() { echo "bench/watch: $*" >&2; [ -f "$work/watch.log" ] && tail -20 "$work/watch.log" >&2; exit 1; }
now() { date +%s.%N; }
seconds() { awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /ms$/) n /= 1000; else if (d ~ /m$/) n *= 60; print n }'; }

# new_repo DIR CLUSTER: a bare repository DIR.git and its clone DIR (the current
# directory afterwards) with cluster.yaml listing the engines.
new_repo() {
  git init -q --bare -b main "$1.git"
  git clone -q "$1.git" "$1" 2>/dev/null
  cd "$1"
  git config user.name bench && git config user.email bench@bench
  {
    echo "kind: Cluster"
    echo "name: $2"
    echo "hosts:"
    for i in "${!engines[@]}"; do
      echo "  - name: h$((i + 1))"
      echo "    endpoint: ${engines[$i]}"
    done
  } >cluster.yaml
}
push() { git add -A && git commit -qm "$1" && git push -q origin main; }
start_watch() {  # start_watch REPO WATCH-ARGS...
  local repo=$1
  shift
  "$bin" watch --repo "file://$repo" --cache-dir "$work/cache" --listen "127.0.0.1:$port" \
    "$@" >"$work/watch.log" 2>&1 &
  pid=$!
}
applied() {  # applied REVISION: the watcher's last applied revision is REVISION
  curl -sf "localhost:$port/status" | grep -q "\"revision_applied\": \"$1\""
}
# Running containers on all engines carrying label $1 (KEY=VALUE), via the Engine API.
count_label() {
  local filter n=0 e
  filter=$(printf '{"label":["%s"],"status":["running"]}' "$1" |
    sed 's/{/%7B/g; s/}/%7D/g; s/"/%22/g; s/\[/%5B/g; s/\]/%5D/g; s/:/%3A/g; s/=/%3D/g; s/,/%2C/g')
  for e in "${engines[@]}"; do
    n=$((n + $(curl -s --unix-socket "${e#unix://}" "http://localhost/containers/json?filters=$filter" |
      grep -o '"Id"' | wc -l)))
  done
  echo "$n"
}
wait_until() {  # wait_until SECONDS WHAT COMMAND...
  local limit=$1 what=$2 t0
  shift 2
  t0=$(now)
  until "$@"; do
    awk -v a="$(now)" -v b="$t0" -v l="$limit" 'BEGIN { exit !(a - b > l) }' && die "timed out: $what"
    sleep 0.1
  done
}
percentile() {  # percentile P FILE: nearest-rank percentile of the numbers in FILE
  sort -g "$2" | awk -v p="$1" '{ v[NR] = $1 } END { r = int((p * NR + 99) / 100); if (r < 1) r = 1; print v[r] }'
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. commit to converge ---------------------------------------------------------
services=3
per_service=2
write_service() {  # write_service INDEX MARK
  cat >"svc-$1.yaml" <<YAML
family: app-$1
containerDefinitions:
  - name: main
    image: stowage/busybox:1
    cpu: 8
    memory: 8
    command: ["sh", "-c", "echo $2; exec sleep 3600"]
    dockerLabels: { bench.mark: "$2" }
    stopTimeout: 1
---
serviceName: svc-$1
taskDefinition: app-$1
desiredCount: $per_service
YAML
}

bench_latency() {
  remove_cluster bench-watch
  new_repo "$work/latency" bench-watch
  for s in $(seq 0 $((services - 1))); do write_service "$s" "s$s-c0"; done
  push c0
  start_watch "$work/latency.git" --interval "$interval" --resync 60s --settle 2s
  wait_until 120 "first deployment" applied "$(git rev-parse HEAD)"
  interval_s=$(seconds "$interval")
  : >"$work/latencies"
  for c in $(seq 1 "$commits"); do
    s=$((RANDOM % services))
    mark="s$s-c$c"
    write_service "$s" "$mark"
    git add -A && git commit -qm "$mark"
    t0=$(now)
    git push -q origin main
    until [ "$(count_label "bench.mark=$mark")" -eq "$per_service" ]; do
      awk -v a="$(now)" -v b="$t0" 'BEGIN { exit !(a - b > 120) }' && die "commit $c not converged in 120 s"
      sleep 0.05
    done
    t1=$(now)
    awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f\n", a - b }' | tee -a "$work/latencies" |
      sed "s/^/  commit $c ($mark): /; s/\$/ s/"
    wait_until 120 "deployment $c finished" applied "$(git rev-parse HEAD)"
    sleep "$(awk -v i="$interval_s" -v r="$RANDOM" 'BEGIN { printf "%.2f", i * r / 32768 }')"
  done
  stop_watch
  remove_cluster bench-watch
  p50=$(percentile 50 "$work/latencies")
  p95=$(percentile 95 "$work/latencies")
  max=$(percentile 100 "$work/latencies")
  target=$(awk -v i="$interval_s" 'BEGIN { print i + 3 }')
  verdict=$(awk -v p="$p95" -v t="$target" 'BEGIN { print (p <= t ? "PASS" : "MISS") }')
  echo "commit to converge: $commits commits, --interval $interval, 3 engines," \
    "$services services x $per_service tasks"
  echo "  p50 $p50 s  p95 $p95 s  max $max s  target p95 <= $target s (interval + 3 s): $verdict"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# The status page's size, and the watcher's CPU over IDLE_SECONDS with the page open.
page_open_window() {
  local url="http://127.0.0.1:$port/" f
  for f in "" ui/main ui/page.css ui/page.js; do
    curl -sf "$url$f" >"$work/page"
    printf '  page %-12s %7d bytes, %6d gzip -9\n' "/$f" "$(wc -c <"$work/page")" \
      "$(gzip -9c "$work/page" | wc -c)"
  done | tee "$work/page-sizes"
  local npm_dir
  npm_dir=$(ls -d "${STOWAGE_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stowage-npm}"/page-* 2>/dev/null | head -1)
  if [ -z "$npm_dir" ] || ! command -v chromium >/dev/null; then
    echo "  page open: skipped (run the page test once to install playwright-core; needs chromium)"
    return 0
  fi
  cp "$top/tests/integration/web/hold_page.mjs" "$npm_dir/"
  node "$npm_dir/hold_page.mjs" "$url" "$((idle_seconds + 5))" >"$work/hold.log" 2>&1 &
  local holder=$!
  wait_until 60 "the page to open" grep -q ready "$work/hold.log"
  local p0 pt0 p1 pt1
  p0=$(cpu)
  pt0=$(now)
  sleep "$idle_seconds"
  p1=$(cpu)
  pt1=$(now)
  wait "$holder" || true
  page_cpu=$(awk -v a="$p0" -v b="$p1" -v hz="$ticks" -v t0="$pt0" -v t1="$pt1" \
    'BEGIN { c = (b - a) / hz; printf "CPU %.2f s over %.0f s (%.2f%% of one core)", c, t1 - t0, 100 * c / (t1 - t0) }')
  page_requests=$(sed -n 's/^requests //p' "$work/hold.log")
}

# --- 2. idle watcher, 1,000 documents -------------------------------------------------
bench_idle() {
  cd "$work"
  remove_cluster bench-idle
  new_repo "$work/idle" bench-idle
  mkdir -p task-definitions services
  for i in $(seq -w 0 499); do
    count=0
    [ $((10#$i)) -lt "$idle_tasks" ] && count=1
    cat >"task-definitions/app-$i.json" <<JSON
{
  "family": "app-$i",
  "containerDefinitions": [
    {
      "name": "main",
      "image": "stowage/busybox:1",
      "cpu": 8,
      "memory": 8,
      "command": ["sleep", "3600"],
      "environment": [{"name": "APP", "value": "app-$i"}],
      "portMappings": [{"containerPort": 8080}],
      "stopTimeout": 1
    }
  ]
}
JSON
    cat >"services/svc-$i.yaml" <<YAML
serviceName: svc-$i
taskDefinition: app-$i
desiredCount: $count
placementStrategy:
  - type: spread
    field: instanceId
YAML
  done
  push idle
  docs=$(find task-definitions services -type f | wc -l)
  start_watch "$work/idle.git" --settle 1s
  wait_until 180 "idle source deployed" applied "$(git rev-parse HEAD)"
  [ "$(count_label io.stowage.cluster=bench-idle)" -eq "$idle_tasks" ] || die "idle tasks not running"
  sleep 5
  ticks=$(getconf CLK_TCK)
  cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
  rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status"; }
  c0=$(cpu)
  t0=$(now)
  : >"$work/rss"
  end=$(awk -v t="$t0" -v d="$idle_seconds" 'BEGIN { printf "%.3f\n", t + d }')
  while awk -v a="$(now)" -v e="$end" 'BEGIN { exit !(a < e) }'; do
    rss_kib >>"$work/rss"
    sleep 0.5
  done
  c1=$(cpu)
  t1=$(now)
  hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status")
  page_open_window
  runs=$(curl -sf "localhost:$port/metrics" | awk '/^stowage_reconcile_runs_total\{/ { n += $2 } END { print n + 0 }')
  fetches=$(curl -sf "localhost:$port/metrics" | awk '$1 == "stowage_source_fetches_total" { print $2 }')
  stop_watch
  remove_cluster bench-idle
  resync=$(grep -o 'converged (0 changes, [0-9.]* s)' "$work/watch.log" | tail -1 |
    sed 's/.*, \(.*\))/\1/')
  echo "idle watcher: $docs documents + cluster.yaml, $idle_tasks tasks, --interval 15s --resync 60s" \
    "($fetches fetches, $runs reconciles in its life; a no-op resync took ${resync:-?})"
  awk -v c0="$c0" -v c1="$c1" -v hz="$ticks" -v t0="$t0" -v t1="$t1" -v hwm="$hwm" -f /dev/stdin \
    "$work/rss" <<'AWK'
{ sum += $1; n++; if ($1 > mx) mx = $1 }
END {
  cpu = (c1 - c0) / hz; wall = t1 - t0
  printf "  CPU %.2f s over %.0f s (%.2f%% of one core)  RSS peak %.1f MiB (life)," \
         " %.1f MiB mean / %.1f MiB max in the window\n",
         cpu, wall, 100 * cpu / wall, hwm / 1024, sum / n / 1024, mx / 1024
}
AWK
  [ -n "${page_cpu:-}" ] && echo "  with the status page open in chromium: $page_cpu" \
    "(${page_requests:-?} requests from the page)"
  return 0
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

for part in $parts; do "bench_$part"; done
