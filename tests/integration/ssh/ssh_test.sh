#!/usr/bin/env bash
# Three hosts reached over ssh:// (a real sshd in front of each shared engine):
# plan, apply, plan again, watch (a container killed by hand is replaced through
# the event stream over ssh), and a wrong hostKey refused with ssh's words.
STOWAGE_IT_NAME=overssh
source "$(dirname "$0")/../apply/lib.sh"
source "$(dirname "$0")/lib.sh"
# s3's server refuses unix socket forwarding: stowage falls back to running
# `docker system dial-stdio` there for every connection.
export STOWAGE_SSHD_NO_STREAMLOCAL=3
ssh_start
write_ssh_cluster
{
  sleeper_td web 16
  replica_service web 6 100 200
} >"$src/web.yaml"

"$STOWAGE_BINARY" validate "$src" >"$work/validate" 2>&1 || { cat "$work/validate"; fail "validate"; }
st plan --detailed-exitcode >"$work/plan1" 2>&1
rc=$?
cat "$work/plan1"
[ $rc -eq 2 ] || fail "first plan over ssh exited $rc, want 2 (changes)"
grep -q "; 6 tasks to start, 0 to stop$" "$work/plan1" || fail "the plan does not start 6 tasks"
echo "ok: plan over ssh://"

st apply --auto-approve --settle 1 >"$work/apply1" 2>&1 || { cat "$work/apply1"; fail "apply over ssh"; }
[ "$(running_total web)" -eq 6 ] || fail "$(running_total web) tasks of web run, want 6"
for i in 1 2 3; do
  [ "$(running "$(engine $i)" web)" -eq 2 ] || fail "engine $i runs $(running "$(engine $i)" web) tasks, want 2"
done
st plan --detailed-exitcode >"$work/plan2" 2>&1 || { cat "$work/plan2"; fail "second plan is not empty"; }
echo "ok: apply over ssh:// (6 tasks, 2 per host, counted with the docker CLI); the next plan is empty"

# One shared master per host outlives the command (--ssh-persist, default 60 s)
# and the next command rides it: the same master processes, no new handshake.
masters() { pgrep -f -- "-p $1 -f -N -T -o [C]ontrolMaster=yes" | sort | tr '\n' ' '; }
for i in 1 2 3; do
  port=STOWAGE_SSH_PORT_$i
  before[$i]=$(masters "${!port}")
  [ "$(wc -w <<<"${before[$i]}")" -eq 1 ] || fail "host s$i: masters '${before[$i]}', want exactly 1 after apply"
done
st plan --detailed-exitcode >"$work/plan2b" 2>&1 || { cat "$work/plan2b"; fail "third plan is not empty"; }
for i in 1 2 3; do
  port=STOWAGE_SSH_PORT_$i
  [ "$(masters "${!port}")" = "${before[$i]}" ] || fail "host s$i: the plan did not reuse the master (${before[$i]} -> $(masters "${!port}"))"
done
leftover=$(ps -eo args | grep "[s]towage-ssh\.[A-Za-z0-9]*/" || true)
[ -z "$leftover" ] || fail "a command's private ssh processes outlived it: $leftover"
echo "ok: one master per host, shared by the next command; no private process left behind"
# sshd sends without Nagle's delay on the masters that only forward (s1, s2):
# a no-op session set it (else a response in two writes waits ~40 ms for ssh's
# delayed ACK).
for i in 1 2; do
  port=STOWAGE_SSH_PORT_$i
  [ "$(sshd_nodelay "${!port}" | sort -u)" = 1 ] || fail "host s$i: sshd's side of the master has Nagle on ($(sshd_nodelay "${!port}" | tr '\n' ' '))"
done
echo "ok: TCP_NODELAY on sshd's side of the forwarding masters"
# --ssh-persist 0: the command's masters are its own and end with it.
st plan --ssh-persist 0 --detailed-exitcode >"$work/plan2c" 2>&1 || { cat "$work/plan2c"; fail "plan --ssh-persist 0"; }
leftover=$(ps -eo args | grep "[s]towage-ssh\.[A-Za-z0-9]*/" || true)
[ -z "$leftover" ] || fail "--ssh-persist 0 left ssh processes: $leftover"
echo "ok: --ssh-persist 0 leaves no master behind"

# watch: a container killed by hand is replaced (events ride the ssh master).
# A watcher of another cluster on the same hosts runs first and ends later:
# on s3 (forwarding refused) each command serves dial-stdio at a path of its
# own, so one that ends takes nobody else's way in with it.
side=$work/side
mkdir -p "$side"
sed "s/^name: .*/name: ${cluster}-side/" "$src/cluster.yaml" >"$side/cluster.yaml"
"$STOWAGE_BINARY" watch "$side" --ssh-key "$STOWAGE_SSH_KEY" --interval 60s --resync 300s \
  >"$work/watch_side" 2>&1 &
side_pid=$!
trap 'kill -TERM $side_pid 2>/dev/null; ssh_cleanup; cleanup' EXIT
wait_for "the side watcher's first pass" 60 grep -qs "reconciled .*: converged" "$work/watch_side"
"$STOWAGE_BINARY" watch "$src" --ssh-key "$STOWAGE_SSH_KEY" --interval 60s --resync 300s \
  >"$work/watch" 2>&1 &
watch_pid=$!
trap 'kill -TERM $watch_pid $side_pid 2>/dev/null; ssh_cleanup; cleanup' EXIT
wait_for "the watcher's first pass" 60 grep -qs "reconciled .*: converged" "$work/watch"
# Two plans at once, beside both watchers.
st plan --detailed-exitcode >"$work/plan_a" 2>&1 &
plan_a=$!
st plan --detailed-exitcode >"$work/plan_b" 2>&1 &
plan_b=$!
wait "$plan_a"
rc_a=$?
wait "$plan_b"
rc_b=$?
[ $rc_a -eq 0 ] && [ $rc_b -eq 0 ] || { cat "$work/plan_a" "$work/plan_b"; fail "two plans at once exited $rc_a and $rc_b, want 0 and 0"; }
if grep -q unreachable "$work/plan_a" "$work/plan_b"; then cat "$work/plan_a" "$work/plan_b"; fail "a host was unreachable to one of two plans at once"; fi
echo "ok: two plans at once (s3 through dial-stdio), beside two watchers"
kill -TERM "$side_pid"
wait "$side_pid" || fail "the side watcher exited $? on TERM, want 0"
# The event streams are open now: s3's through dial-stdio, s1's forwarded.
e3=$(engine 3)
e1=$(engine 1)
pgrep -f "docker --host ${e3} system dial-stdio" >/dev/null || fail "no dial-stdio on s3 (forwarding refused there)"
if pgrep -f "docker --host ${e1} system dial-stdio" >/dev/null; then fail "s1 uses dial-stdio, not the forward"; fi
echo "ok: s1 forwarded by the master, s3 (forwarding refused) through docker system dial-stdio"
victim=$(docker -H "$(engine 2)" ps -q --filter "label=io.stowage.cluster=$cluster" | head -1)
docker -H "$(engine 2)" kill "$victim" >/dev/null
t0=$(date +%s)
wait_for "a replacement of the killed task" 30 \
  sh -c "[ \$(docker -H $(engine 2) ps -q --filter label=io.stowage.cluster=$cluster | grep -v $victim | wc -l) -eq 2 ]"
echo "ok: watch over ssh:// replaced a killed container in $(( $(date +%s) - t0 )) s"
# s3 after the side watcher ended: still reached through dial-stdio.
victim=$(docker -H "$e3" ps -q --filter "label=io.stowage.cluster=$cluster" | head -1)
docker -H "$e3" kill "$victim" >/dev/null
(wait_for "a replacement of the task killed on s3" 30 \
  sh -c "[ \$(docker -H $e3 ps -q --filter label=io.stowage.cluster=$cluster | grep -v $victim | wc -l) -eq 2 ]") ||
  { cat "$work/watch"; fail "the watcher did not replace the task killed on s3"; }
echo "ok: on s3 (dial-stdio) the watcher outlived another command's end and replaced a killed container"
kill -TERM "$watch_pid"
wait "$watch_pid"
rc=$?
[ $rc -eq 0 ] || { cat "$work/watch"; fail "watch exited $rc on TERM, want 0"; }

# A wrong hostKey: host s1 pinned with s2's key.
write_ssh_cluster 1:2
st plan >"$work/plan3" 2>&1
cat "$work/plan3"
grep -q "warning: host s1 is unreachable (ssh://root@127.0.0.1:$STOWAGE_SSH_PORT_1.*Host key verification failed\.)" \
  "$work/plan3" || fail "a wrong hostKey was not refused with ssh's message"
[ "$(running "$(engine 1)" web)" -eq 2 ] || fail "s1's tasks were touched"
echo "ok: a wrong hostKey is refused: Host key verification failed."
