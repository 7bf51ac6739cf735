#!/usr/bin/env bash
# apply's options and documents on real engines:
#  - a saved plan records its source (a directory, or a git repository, ref
#    and path): `apply PLANFILE` from another directory, without --source,
#    applies it;
#  - a saved plan records a digest of each template value, never the value:
#    `apply PLANFILE` with another --var-file value refuses it as stale,
#    naming the variable;
#  - task-scoped volumes are removed with their task, shared ones stay;
#  - --no-wait starts the new tasks of a deployment, keeps the old ones
#    running, returns 0 without waiting for health; the next apply finishes;
#  - `stowage --help` lists the exit statuses.
STOWAGE_IT_NAME=options
source "$(dirname "$0")/lib.sh"
e1=$(engine 1)
write_cluster "h1|$e1||"
write_src() {  # version, desired count
  cat >"$src/o.yaml" <<YAML
family: o
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    memory: 16
    command: ["sh", "-c", "trap 'exit 0' TERM; echo $1 > /scratch/v; while true; do sleep 1; done"]
    mountPoints:
      - { sourceVolume: scratch, containerPath: /scratch }
      - { sourceVolume: cache, containerPath: /cache }
    healthCheck:
      command: ["CMD-SHELL", "test -f /scratch/v"]
      interval: 5
      timeout: 2
      retries: 2
    stopTimeout: 1
volumes:
  - name: scratch
  - name: cache
    dockerVolumeConfiguration: { scope: shared, autoprovision: true }
---
serviceName: o
taskDefinition: o
desiredCount: $2
deploymentConfiguration:
  minimumHealthyPercent: 100
  maximumPercent: 200
YAML
}
volumes() {
  docker -H "$e1" volume ls -q --filter "label=io.stowage.cluster=$cluster" | sort | tr '\n' ' '
}

# A saved plan applied from elsewhere.
write_src v1 3
"$STOWAGE_BINARY" plan "$src" --out "$work/plan.json" >/dev/null || fail "plan --out exited $?"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["source"]; assert s=={"dir":sys.argv[2],"repo":"","ref":"","path":"","template_values":{}}, s' \
  "$work/plan.json" "$src" || fail "the plan does not record its source"
(cd / && "$STOWAGE_BINARY" apply "$work/plan.json" --auto-approve --settle 1) >"$work/out1" 2>&1 ||
  { rc=$?; cat "$work/out1"; fail "apply PLANFILE from / exited $rc"; }
[ "$(running "$e1" o)" -eq 3 ] || fail "apply PLANFILE: $(running "$e1" o) running, want 3"
echo "ok: apply PLANFILE without --source, from another directory"

# A saved plan made with one template value is stale under another.
sed -i 's/^    memory: 16$/&\n    environment: [{ name: MODE, value: "{{ must_env `MODE` }}" }]/' "$src/o.yaml"
echo "MODE=blue-7f3" >"$work/blue.env"
echo "MODE=green-9a1" >"$work/green.env"
"$STOWAGE_BINARY" plan "$src" --var-file "$work/blue.env" --out "$work/tplan.json" >/dev/null ||
  fail "plan --var-file --out exited $?"
grep -q '"MODE": "sha256=' "$work/tplan.json" || fail "the plan does not record MODE's digest"
(cd / && "$STOWAGE_BINARY" apply "$work/tplan.json" --var-file "$work/green.env" --auto-approve) \
  >"$work/stale" 2>&1 && fail "apply PLANFILE with another MODE exited 0"
grep -qF "plan is stale: template variable MODE changed since the plan was made (--var-file, --template-env)" \
  "$work/stale" || { cat "$work/stale"; fail "no stale-plan error naming MODE"; }
! grep -q "blue-7f3\|green-9a1" "$work/stale" || fail "a template value was shown"
sed -i '/name: MODE/d' "$src/o.yaml"
echo "ok: a saved plan is stale when a template value changed, named, never shown"

# Task-scoped volumes: one per task, removed with it; the shared one stays.
tasks=$(tasks_of o | awk '{ print $2 }' | sort)
want="cache "
for t in $tasks; do want+="o.scratch.$t "; done
[ "$(volumes)" = "$want" ] || fail "volumes: $(volumes), want $want"
write_src v1 1
apply_src --allow-mass-delete >"$work/out2" 2>&1 || { rc=$?; cat "$work/out2"; fail "scale in exited $rc"; }
kept=$(tasks_of o | awk '{ print $2 }')
[ "$(volumes)" = "cache o.scratch.$kept " ] || fail "after scale in: volumes $(volumes)"
echo "ok: task-scoped volumes removed with their tasks, the shared one kept"

# --no-wait: new tasks started, old kept, no waiting for health (5 s interval).
write_src v1 2
apply_src >"$work/out3" 2>&1 || { rc=$?; cat "$work/out3"; fail "scale out exited $rc"; }
old=$(tasks_of o | awk '{ print $2 }' | sort | tr '\n' ' ')
write_src v2 2
apply_src --no-wait >"$work/out4" 2>&1 || { rc=$?; cat "$work/out4"; fail "--no-wait exited $rc"; }
grep -q "^o: pending: 2 new task(s) started, health not awaited" "$work/out4" ||
  { cat "$work/out4"; fail "--no-wait did not report the service as pending"; }
t=$(tasks_of o)
[ "$(echo "$t" | grep -c ' running$')" -eq 4 ] || { echo "$t"; fail "--no-wait: want 2 old + 2 new running"; }
still=$(echo "$t" | awk '$4 == "running" { print $2 }' | sort | tr '\n' ' ')
for o in $old; do [[ " $still " == *" $o "* ]] || fail "--no-wait stopped old task $o"; done
docker -H "$e1" ps --filter "label=io.stowage.cluster=$cluster" --format '{{.Status}}' |
  grep -q "health: starting" || fail "--no-wait returned only after the new tasks were healthy"
apply_src >"$work/out5" 2>&1 || { rc=$?; cat "$work/out5"; fail "apply after --no-wait exited $rc"; }
t=$(tasks_of o)
[ "$(echo "$t" | wc -l)" -eq 2 ] && [ "$(echo "$t" | awk '{ print $3 }' | sort -u | wc -l)" -eq 1 ] ||
  { echo "$t"; fail "the apply after --no-wait did not finish the deployment"; }
echo "ok: --no-wait started the new tasks, kept the old; the next apply finished"

# A saved plan of a git source records repository, ref and path.
export XDG_CACHE_HOME=$work/cache
repo=$work/repo
mkdir -p "$repo/fleet"
cp "$src"/*.yaml "$repo/fleet/"
sed -i 's/^desiredCount: 2$/desiredCount: 3/' "$repo/fleet/o.yaml"
git -C "$repo" init -q -b main && git -C "$repo" add -A &&
  git -C "$repo" -c user.name=t -c user.email=t@t commit -qm fleet || fail "git repo"
"$STOWAGE_BINARY" plan --repo "file://$repo" --ref main --path fleet --out "$work/gplan.json" \
  >/dev/null || fail "plan --repo --out exited $?"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["source"]; assert s=={"dir":"","repo":sys.argv[2],"ref":"main","path":"fleet","template_values":{}}, s' \
  "$work/gplan.json" "file://$repo" || fail "the plan does not record its git source"
(cd / && "$STOWAGE_BINARY" apply "$work/gplan.json" --auto-approve --settle 1) >"$work/out6" 2>&1 ||
  { rc=$?; cat "$work/out6"; fail "apply of a git plan from / exited $rc"; }
[ "$(running "$e1" o)" -eq 3 ] || fail "git plan: $(running "$e1" o) running, want 3"
echo "ok: apply PLANFILE of a git source (repository, ref, path recorded)"

"$STOWAGE_BINARY" --help >"$work/help" || fail "--help exited $?"
for line in "  0  success" "  1  error" "  2  plan --detailed-exitcode" "  3  apply: a deployment failed and was rolled back" \
  "  4  apply: some tasks could not be placed"; do
  grep -qF -- "$line" "$work/help" || fail "--help does not list: $line"
done
echo "ok: --help lists the exit statuses"
