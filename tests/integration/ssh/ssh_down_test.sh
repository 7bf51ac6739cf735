#!/usr/bin/env bash
# An ssh connection that dies in the middle of an apply (host s3's sshd and
# its sessions killed; the engine behind it keeps running) is an engine that
# stopped answering: s1 and s2 converge, s3's tasks are reported, apply exits 1.
STOWAGE_IT_NAME=sshdown
source "$(dirname "$0")/../apply/lib.sh"
source "$(dirname "$0")/lib.sh"
ssh_start
write_ssh_cluster
{
  sleeper_td d 16
  replica_service d 6 100 200
} >"$src/d.yaml"

# Settle 8 s: the ssh connection is killed while the new tasks wait for their gate.
st apply --auto-approve --settle 8 --json >"$work/out1" 2>"$work/err1" &
pid=$!
wait_for "containers on s3's engine" 60 \
  sh -c "[ \$(docker -H $(engine 3) ps -q --filter label=io.stowage.cluster=$cluster | wc -l) -ge 2 ]"
"$sshd_harness" kill "$sshroot" 3
wait "$pid"
rc=$?
cat "$work/out1" "$work/err1"
[ $rc -eq 1 ] || fail "apply with s3's ssh killed mid-way exited $rc, want 1"
for h in 1 2; do
  [ "$(running "$(engine $h)" d)" -eq 2 ] || fail "s$h: $(running "$(engine $h)" d) tasks of d, want 2"
done
python3 - "$work/out1" <<'PY' || fail "the lost host's tasks were not reported"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
failed = [e for e in events if e.get("event") == "task_failed"]
assert failed and all(e["host"] == "s3" for e in failed), failed
summary = events[-1]
assert summary["exit_code"] == 1, summary
PY
echo "ok: ssh killed mid-apply: s1, s2 converged, s3's tasks reported, exit 1"

# With s3 still unreachable, a plan says so and touches nothing there.
st plan >"$work/plan" 2>&1
grep -q "warning: host s3 is unreachable (ssh://root@127.0.0.1:$STOWAGE_SSH_PORT_3" "$work/plan" ||
  { cat "$work/plan"; fail "plan does not report s3 unreachable"; }
echo "ok: the next plan reports s3 unreachable: $(grep -o 'host s3 is unreachable ([^)]*)' "$work/plan")"
