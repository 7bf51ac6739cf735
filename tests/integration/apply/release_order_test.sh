#!/usr/bin/env bash
# Release order on a real engine (issue 15): a migration task, db, api
# (HEALTHY on db, SUCCESS of the migration) and web (HEALTHY on api).
#  1. From empty: containers start in that order (docker inspect start
#     times), the migration exits before api starts, api starts at least the
#     settle period after db (HEALTHY), web after api.
#  2. A failing migration (exit 1) leaves api and web on their old revision,
#     says why, and apply exits 1.
#  3. A change to web alone does not wait for anything.
#  4. Stopped one-shot tasks are kept for their logs, the newest 5 of a family
#     per host: the next apply removes older ones.
# The release summary (text and --json) covers every service, unchanged ones too.
STOWAGE_IT_NAME=order
source "$(dirname "$0")/lib.sh"
e1=$(engine 1)
write_cluster "h1|$e1||"

# write_source API_VERSION WEB_VERSION MIGRATE_EXIT
write_source() {
  {
    sleeper_td db 32 1
    sleeper_td api 32 "$1"
    sleeper_td web 32 "$2"
    cat <<YAML
family: migrate
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    memory: 16
    command: ["sh", "-c", "sleep 1; exit $3"]
YAML
  } >"$src/tasks.yaml"
  cat >"$src/services.yaml" <<YAML
serviceName: db
taskDefinition: db
desiredCount: 1
---
serviceName: api
taskDefinition: api
desiredCount: 1
dependsOn:
  - {service: db, condition: HEALTHY}
  - {taskDefinition: migrate, condition: SUCCESS}
---
serviceName: web
taskDefinition: web
desiredCount: 1
dependsOn:
  - service: api
    condition: HEALTHY
YAML
}

# Nanoseconds since the epoch of a container's State.StartedAt / FinishedAt.
when() {
  date -d "$(docker -H "$e1" inspect --format "{{.State.$2}}" "$1")" +%s%N
}
# The one container of service $1 (a one-shot task: run-task:FAMILY) with revision label.
container_of() {
  docker -H "$e1" ps -a --filter "label=io.stowage.cluster=$cluster" \
    --filter "label=io.stowage.service=$1" --format '{{.Names}}' | head -1
}
revision_of() {
  docker -H "$e1" ps --filter "label=io.stowage.cluster=$cluster" \
    --filter "label=io.stowage.service=$1" --format '{{.Label "io.stowage.revision"}}' | sort -u
}

write_source 1 1 0
"$STOWAGE_BINARY" plan "$src" >"$work/plan" 2>&1 || { cat "$work/plan"; fail "plan failed"; }
grep -qxF "Release order (3 waves):" "$work/plan" &&
  grep -qxF "  wave 1: db" "$work/plan" &&
  grep -qxF "  wave 2: api (after db HEALTHY, task migrate SUCCESS)" "$work/plan" &&
  grep -qxF "  wave 3: web (after api HEALTHY)" "$work/plan" || {
  cat "$work/plan"
  fail "plan does not show the release order"
}
echo "ok: plan shows the release order"

apply_src >"$work/out1" 2>&1 || { rc=$?; cat "$work/out1"; fail "first apply exited $rc"; }
db=$(container_of db) migrate=$(container_of run-task:migrate) api=$(container_of api)
web=$(container_of web)
[ -n "$db" ] && [ -n "$migrate" ] && [ -n "$api" ] && [ -n "$web" ] || {
  cat "$work/out1"
  fail "missing containers: db=$db migrate=$migrate api=$api web=$web"
}
t_db=$(when "$db" StartedAt) t_mig=$(when "$migrate" StartedAt)
t_mig_end=$(when "$migrate" FinishedAt) t_api=$(when "$api" StartedAt) t_web=$(when "$web" StartedAt)
echo "start times (ms after db): migrate $(((t_mig - t_db) / 1000000))" \
  "migrate exited $(((t_mig_end - t_db) / 1000000)) api $(((t_api - t_db) / 1000000))" \
  "web $(((t_web - t_db) / 1000000))"
[ "$t_db" -lt "$t_mig" ] || fail "the migration started before db"
[ $((t_mig - t_db)) -ge 1000000000 ] || fail "the migration did not wait for db to be healthy (settle 1 s)"
[ "$t_mig_end" -lt "$t_api" ] || fail "api started before the migration exited"
[ $((t_web - t_api)) -ge 1000000000 ] || fail "web did not wait for api to be healthy (settle 1 s)"
[ "$(docker -H "$e1" inspect --format '{{.State.ExitCode}}' "$migrate")" = 0 ] || fail "migration exit code"
grep -qF "api: waits for db HEALTHY" "$work/out1" || { cat "$work/out1"; fail "no wait line"; }
echo "ok: from empty, db -> migration -> api -> web"
api_rev=$(revision_of api) web_rev=$(revision_of web)

write_source 2 2 1
apply_src >"$work/out2" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$work/out2"; fail "apply with a failing migration exited $rc, want 1"; }
grep -qxF "api: not deployed: depends on task migrate, which failed: app exited 1" "$work/out2" &&
  grep -qxF "web: not deployed: depends on api, which was not deployed" "$work/out2" || {
  cat "$work/out2"
  fail "the reasons are not shown"
}
grep -qxF "db: unchanged" "$work/out2" &&
  grep -qxF "Apply: 2 not deployed, 1 unchanged; exit status 1." "$work/out2" || {
  cat "$work/out2"
  fail "the release summary does not cover every service"
}
[ "$(revision_of api)" = "$api_rev" ] && [ "$(revision_of web)" = "$web_rev" ] ||
  fail "api or web left their old revision"
[ "$(running "$e1" api)" -eq 1 ] && [ "$(running "$e1" web)" -eq 1 ] || fail "api or web stopped"
echo "ok: a failing migration keeps api and web on their old revision, exit 1"

write_source 1 3 0
start=$(date +%s%N)
apply_src --json >"$work/out3" 2>&1 || { rc=$?; cat "$work/out3"; fail "web-only apply exited $rc"; }
grep -q '"event":"dependency_wait"' "$work/out3" && { cat "$work/out3"; fail "web waited"; }
grep -q '"event":"oneshot_started"' "$work/out3" && fail "the migration ran for a web-only change"
tail -1 "$work/out3" | grep -qF '"outcomes":{"converged":1,"unchanged":2}' || {
  tail -1 "$work/out3"
  fail "the --json summary is not the release's"
}
[ "$(revision_of api)" = "$api_rev" ] || fail "api changed"
[ "$(revision_of web)" != "$web_rev" ] || fail "web was not deployed"
echo "ok: a change to web alone does not wait ($((($(date +%s%N) - start) / 1000000)) ms)"

apply_src --json >"$work/out3b" 2>&1 || { cat "$work/out3b"; fail "no-op apply exited $?"; }
tail -1 "$work/out3b" | grep -qF '"exit_code":0,"services":[{"service":"api","outcome":"unchanged"}' &&
  tail -1 "$work/out3b" | grep -qF '"outcomes":{"unchanged":3}' ||
  { tail -1 "$work/out3b"; fail "a no-op apply's summary does not list the unchanged services"; }
echo "ok: a no-op apply's --json summary lists every service unchanged"

# run-task shares the one-shot code: --wait prints the exit codes, exit 1 on a failure.
"$STOWAGE_BINARY" run-task migrate "$src" --wait >"$work/out4" 2>&1 ||
  { cat "$work/out4"; fail "run-task migrate --wait failed"; }
grep -qE '^h1/[0-9a-f]{12} app exited 0$' "$work/out4" || { cat "$work/out4"; fail "run-task output"; }
write_source 1 3 4
"$STOWAGE_BINARY" run-task migrate "$src" --wait >"$work/out5" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -qE '^h1/[0-9a-f]{12} app exited 4$' "$work/out5" ||
  { cat "$work/out5"; fail "run-task of a failing task exited $rc, want 1"; }
echo "ok: run-task --wait on the shared one-shot code"

# Stopped one-shot tasks: 4 so far (two applies, two run-tasks); two more make
# 6, and the next apply keeps the newest 5 (the first apply's migration goes).
stopped_migrations() {
  docker -H "$e1" ps -a --filter "label=io.stowage.cluster=$cluster" \
    --filter "label=io.stowage.service=run-task:migrate" --filter status=exited \
    --format '{{.Label "io.stowage.task"}}' | sort -u
}
for i in 1 2; do "$STOWAGE_BINARY" run-task migrate "$src" --wait >"$work/out6" 2>&1; done
newest=$(grep -oE '^h1/[0-9a-f]{12}' "$work/out6" | cut -d/ -f2)
oldest=$(docker -H "$e1" inspect --format '{{index .Config.Labels "io.stowage.task"}}' "$migrate")
[ "$(stopped_migrations | wc -l)" -eq 6 ] || { stopped_migrations; fail "want 6 stopped migrations"; }
apply_src >"$work/out7" 2>&1 || { rc=$?; cat "$work/out7"; fail "apply after run-tasks exited $rc"; }
kept=$(stopped_migrations)
[ "$(echo "$kept" | wc -l)" -eq 5 ] || { echo "$kept"; fail "want the newest 5 stopped migrations kept"; }
echo "$kept" | grep -qx "$newest" || fail "the newest migration $newest was removed"
! echo "$kept" | grep -qx "$oldest" || fail "the oldest migration $oldest was kept"
echo "ok: an apply keeps the newest 5 stopped one-shot tasks of a family"
