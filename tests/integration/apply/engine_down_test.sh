#!/usr/bin/env bash
# An engine stops answering in the middle of an apply: the hosts that answer
# converge, the tasks of the lost host are reported, apply exits 1; with the
# engine back, the next apply finishes the job. Host h3 is an engine of this
# script's own (the shared engines are never stopped).
STOWAGE_IT_NAME=down
source "$(dirname "$0")/lib.sh"
root=/tmp/stw-down-$$
own_engine "$root"
e3=unix://$root/e1.sock
write_cluster "h1|$(engine 1)||" "h2|$(engine 2)||" "h3|$e3||"
{
  sleeper_td d 16
  replica_service d 6 100 200
  printf -- '---\nserviceName: d-daemon\ntaskDefinition: d\nschedulingStrategy: DAEMON\n'
} >"$src/d.yaml"

# Settle 8 s: the engine is stopped while the new tasks wait for their gate.
"$STOWAGE_BINARY" apply "$src" --auto-approve --settle 8 --json >"$work/out1" 2>"$work/err1" &
pid=$!
wait_for "containers on h3's engine" 60 \
  sh -c "[ \$(docker -H $e3 ps -q --filter label=io.stowage.cluster=$cluster | wc -l) -ge 3 ]"
"$STOWAGE_HARNESS" stop "$root" >/dev/null 2>&1
wait "$pid"
rc=$?
cat "$work/out1" "$work/err1"
[ $rc -eq 1 ] || fail "apply with an engine stopped mid-way exited $rc, want 1"
for h in 1 2; do
  [ "$(running "$(engine $h)" d)" -eq 2 ] || fail "h$h: $(running "$(engine $h)" d) tasks of d, want 2"
  [ "$(running "$(engine $h)" d-daemon)" -eq 1 ] || fail "h$h: daemon task missing"
done
python3 - "$work/out1" <<'PY' || fail "the lost host's tasks were not reported"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
failed = [e for e in events if e.get("event") == "task_failed"]
assert failed and all(e["host"] == "h3" for e in failed), failed
services = {e["service"] for e in failed}
assert services == {"d", "d-daemon"}, services
summary = events[-1]
assert summary["exit_code"] == 1, summary
PY
echo "ok: engine stopped mid-apply: h1, h2 converged, h3's tasks reported, exit 1"

"$STOWAGE_HARNESS" start 1 "$root" >/dev/null 2>&1 || fail "could not restart h3's engine"
apply_src >"$work/out2" 2>&1 || { rc=$?; cat "$work/out2"; fail "apply with the engine back exited $rc"; }
[ "$(running "$e3" d)" -eq 2 ] || fail "h3: $(running "$e3" d) tasks of d after the engine came back"
[ "$(running "$e3" d-daemon)" -eq 1 ] || fail "h3: daemon task missing after the engine came back"
[ "$(( $(running_total d) + $(running "$e3" d) ))" -eq 6 ] || fail "d is not at 6 tasks"
echo "ok: engine back: the next apply finished the job"
