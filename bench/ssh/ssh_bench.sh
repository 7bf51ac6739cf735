#!/usr/bin/env bash
# bench/ssh: the same engines reached over unix:// and over ssh:// (a local
# sshd per engine, tests/harness/sshd.sh), in one run:
#   - apply TASKS tasks from empty (rate, tasks/s): ssh must keep >= 0.9x unix;
#   - plan with nothing to change (wall time, median of RUNS, and the median of
#     each round's ssh/unix ratio, steadier under a drifting load): ssh <= 1.5x unix,
#     riding the master the previous command left (--ssh-persist, default 60 s),
#     and with a master of its own each time (--ssh-persist 0: one handshake per
#     host per command, what a first command or a CI job pays).
# Two clusters of their own (bench-unix, bench-ssh) so each sees only its tasks;
# the order of the two alternates between runs so neither always goes first.
#
#   bench/ssh/ssh_bench.sh [STOWAGE_BINARY] [TASKS] [RUNS]
# Needs root (engines, sshd); starts and stops its own engines and sshd.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-build/stowage}")
tasks=${2:-90}
runs=${3:-5}
root=/tmp/stw-bench-ssh
sroot=/tmp/stw-bench-sshd
tests/harness/engines.sh start 3 "$root" >/dev/null
tests/harness/sshd.sh start 3 "$sroot" >/dev/null 2>&1
# shellcheck disable=SC1091
source "$sroot/sshd.env"
engines=()
for i in 1 2 3; do engines+=("unix://$root/e$i.sock"); done
work=$(mktemp -d)
finish() {
  tests/harness/sshd.sh stop "$sroot" >/dev/null 2>&1 || true
  tests/harness/engines.sh stop "$root" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap finish EXIT

# source KIND: a directory with cluster bench-KIND over unix:// or ssh://.
make_source() {
  local kind=$1 dir=$work/$1 i port key
  mkdir -p "$dir"
  {
    echo "kind: Cluster"
    echo "name: bench-$kind"
    echo "hosts:"
    for i in 1 2 3; do
      echo "  - name: h$i"
      if [ "$kind" = unix ]; then
        echo "    endpoint: ${engines[$((i - 1))]}"
      else
        port=STOWAGE_SSH_PORT_$i
        key=STOWAGE_SSH_HOSTKEY_$i
        echo "    endpoint: ssh://root@127.0.0.1:${!port}$root/e$i.sock"
        echo "    hostKey: \"${!key}\""
      fi
    done
  } >"$dir/cluster.yaml"
  cat >"$dir/svc.yaml" <<YAML
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
}
make_source unix
make_source ssh
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

now() { date +%s.%N; }
clear_cluster() {
  local e ids
  for e in "${engines[@]}"; do
    ids=$(docker -H "$e" ps -aq --filter "label=io.stowage.cluster=bench-$1")
    # shellcheck disable=SC2086
    [ -n "$ids" ] && docker -H "$e" rm -f $ids >/dev/null
  done
  return 0
}
st() { "$bin" "$1" "$work/$2" --ssh-key "$STOWAGE_SSH_KEY" "${@:3}"; }

# apply KIND: seconds to apply TASKS tasks from empty.
apply_time() {
  local t0 t1 n=0 e
  clear_cluster "$1"
  t0=$(now)
  st apply "$1" --auto-approve --settle 0 --parallelism 8 >/dev/null
  t1=$(now)
  for e in "${engines[@]}"; do
    n=$((n + $(docker -H "$e" ps -q --filter "label=io.stowage.cluster=bench-$1" | wc -l)))
  done
  [ "$n" -eq "$tasks" ] || { echo "$1: $n of $tasks tasks run" >&2; exit 1; }
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f\n", a - b }'
}

plan_time() {
  local t0 t1
  t0=$(now)
  st plan "$1" --detailed-exitcode "${@:2}" >/dev/null || { echo "$1: plan is not empty" >&2; exit 1; }
  t1=$(now)
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f\n", a - b }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

apply_unix=()
apply_ssh=()
for r in 1 2; do
  if [ $r -eq 1 ]; then order="unix ssh"; else order="ssh unix"; fi
  for kind in $order; do
    t=$(apply_time "$kind")
    if [ "$kind" = unix ]; then apply_unix+=("$t"); else apply_ssh+=("$t"); fi
  done
done
plan_unix=()
plan_ssh=()
plan_cold=()
for r in $(seq 1 "$runs"); do
  if [ $((r % 2)) -eq 1 ]; then order="unix ssh cold"; else order="cold ssh unix"; fi
  for kind in $order; do
    case $kind in
      unix) plan_unix+=("$(plan_time unix)") ;;
      ssh) plan_ssh+=("$(plan_time ssh)") ;;
      cold) plan_cold+=("$(plan_time ssh --ssh-persist 0)") ;;
    esac
  done
done
clear_cluster unix
clear_cluster ssh

au=$(printf '%s\n' "${apply_unix[@]}" | median)
as=$(printf '%s\n' "${apply_ssh[@]}" | median)
pu=$(printf '%s\n' "${plan_unix[@]}" | median)
ps_=$(printf '%s\n' "${plan_ssh[@]}" | median)
pc=$(printf '%s\n' "${plan_cold[@]}" | median)
awk -v t="$tasks" -v au="$au" -v as="$as" -v pu="$pu" -v ps="$ps_" -v pc="$pc" -v runs="$runs" 'BEGIN {
  ru = t / au; rs = t / as
  printf "apply %d tasks from empty (median of 2): unix:// %.1f tasks/s (%.2f s), ssh:// %.1f tasks/s (%.2f s): ssh/unix rate %.2fx (target >= 0.9)\n", t, ru, au, rs, as, rs / ru
  printf "plan, nothing to change (median of %d): unix:// %.3f s, ssh:// %.3f s: ssh/unix time %.2fx (target <= 1.5)\n", runs, pu, ps, ps / pu
  printf "plan, nothing to change, a master of its own (--ssh-persist 0): ssh:// %.3f s: %.2fx unix\n", pc, pc / pu
}'
# The load of a shared machine drifts between runs: the ratio of each round's
# ssh and unix plans (run next to each other) is steadier than the medians'.
paired=$(for i in "${!plan_unix[@]}"; do
  awk -v s="${plan_ssh[$i]}" -v u="${plan_unix[$i]}" 'BEGIN { printf "%.3f\n", s / u }'
done | median)
echo "plan, nothing to change, ssh/unix of each round (median of $runs): ${paired}x (target <= 1.5)"
echo "load average (1, 5, 15 min): $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "runs: apply unix ${apply_unix[*]} / ssh ${apply_ssh[*]}; plan unix ${plan_unix[*]} / ssh ${plan_ssh[*]} / own master ${plan_cold[*]}"
