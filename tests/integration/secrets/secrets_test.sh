#!/usr/bin/env bash
# Secrets end to end on a real engine, with every provider: --secrets-dir (an
# SSM ARN and a Secrets Manager ARN with json-key), --secrets-env (a bare
# key), and an age file of the source made by Debian's `age`. Every output of
# validate, plan (text, JSON), apply (text, --json), status (text, JSON) and
# a watcher (log, /status, /metrics, the status page), history and the
# containers' labels is kept and searched for the values.
STOWAGE_IT_NAME=secrets
. "$(dirname "$0")/../apply/lib.sh"
command -v age >/dev/null || fail "age is not installed (scripts/deps.sh test)"
out=$work/out
mkdir -p "$out" "$work/secrets/prod" "$src/secrets"
e1=$(engine 1)

# Values unique to this run; none may appear in any output.
db1="db-$RANDOM-$$-first" db2="db-$RANDOM-$$-second" db3="db-$RANDOM-$$-third"
api="api-$RANDOM-$$" token="tok-$RANDOM-$$" sm="sm-$RANDOM-$$"
values=("$db1" "$db2" "$db3" "$api" "$token" "$sm")

printf '%s\n' "$db1" >"$work/secrets/prod/db"
printf '{"username":"app","password":"%s"}' "$sm" >"$work/secrets/prod/creds"
openssl rand -hex 32 >"$work/secrets/stowage-fingerprint-key"
export STOWAGE_SECRET_API_KEY=$api
age-keygen -o "$work/id.txt" 2>/dev/null
printf 'USER=app\nTOKEN=%s\n' "$token" | age -r "$(age-keygen -y "$work/id.txt")" \
  -o "$src/secrets/app.env.age" || fail "age could not encrypt"
providers=(--secrets-dir "$work/secrets" --secrets-env STOWAGE_SECRET_
           --age-identity "$work/id.txt")

write_cluster "h1|$e1||"
cat >"$src/web.yaml" <<YAML
family: web
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    memory: 32
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    stopTimeout: 1
    secrets:
      - name: DB
        valueFrom: arn:aws:ssm:eu-west-1:111122223333:parameter/prod/db
      - name: SM
        valueFrom: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/creds-AbCdEf:password::"
      - name: API
        valueFrom: api_key
      - name: TOKEN
        valueFrom: age:secrets/app.env.age#TOKEN
---
serviceName: web
taskDefinition: web
desiredCount: 1
YAML

env_of() {  # the environment of the service's running container
  local id
  id=$(docker -H "$e1" ps -q --filter "label=io.stowage.cluster=$cluster" \
    --filter "label=io.stowage.service=web")
  [ -n "$id" ] && docker -H "$e1" inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$id"
}
has_env() { env_of | grep -qx "$1"; }

# 1. A missing secret: an error at its valueFrom, nothing started.
mv "$work/secrets/prod/db" "$work/db.away"
"$STOWAGE_BINARY" validate "${providers[@]}" "$src" >"$out/validate-missing.txt" 2>&1 &&
  fail "validate passed with a missing secret"
grep -q "web.yaml:10:20: error: secret DB of container app: valueFrom \"arn:aws:ssm:eu-west-1:111122223333:parameter/prod/db\": not found" \
  "$out/validate-missing.txt" || fail "no error at the valueFrom: $(cat "$out/validate-missing.txt")"
apply_src "${providers[@]}" >"$out/apply-missing.txt" 2>&1 && fail "apply passed with a missing secret"
[ "$(running "$e1")" = 0 ] || fail "a container started although a secret did not resolve"
mv "$work/db.away" "$work/secrets/prod/db"

# 2. Every provider reaches the container.
"$STOWAGE_BINARY" validate "${providers[@]}" "$src" >"$out/validate.txt" 2>&1 ||
  fail "validate: $(cat "$out/validate.txt")"
"$STOWAGE_BINARY" validate --json "${providers[@]}" "$src" >"$out/validate.json" 2>&1 ||
  fail "validate --json"
"$STOWAGE_BINARY" plan "${providers[@]}" "$src" >"$out/plan.txt" 2>&1
"$STOWAGE_BINARY" plan --json --out "$out/plan-file.json" "${providers[@]}" "$src" \
  >"$out/plan.json" 2>&1
apply_src "${providers[@]}" >"$out/apply.txt" 2>&1 || fail "apply: $(cat "$out/apply.txt")"
has_env "DB=$db1" || fail "DB did not reach the container"
has_env "SM=$sm" || fail "SM (json-key) did not reach the container"
has_env "API=$api" || fail "API (--secrets-env) did not reach the container"
has_env "TOKEN=$token" || fail "TOKEN (age) did not reach the container"
rev1=$(tasks_of web | awk '{print $3}')

# 3. Nothing to do while the values stay; a changed value rolls the service.
"$STOWAGE_BINARY" plan --detailed-exitcode "${providers[@]}" "$src" >"$out/plan-noop.txt" 2>&1 ||
  fail "plan with unchanged secrets is not a no-op: $(cat "$out/plan-noop.txt")"
printf '%s\n' "$db2" >"$work/secrets/prod/db"
"$STOWAGE_BINARY" plan --detailed-exitcode "${providers[@]}" "$src" >"$out/plan-changed.txt" 2>&1
[ $? = 2 ] || fail "a changed secret does not change the plan: $(cat "$out/plan-changed.txt")"
apply_src --json "${providers[@]}" >"$out/apply.json" 2>&1 || fail "apply --json"
has_env "DB=$db2" || fail "the changed value did not roll out"
rev2=$(tasks_of web | grep running | awk '{print $3}')
[ -n "$rev2" ] && [ "$rev2" != "$rev1" ] || fail "the revision did not change ($rev1 -> $rev2)"
"$STOWAGE_BINARY" status "${providers[@]}" "$src" >"$out/status.txt" 2>&1
"$STOWAGE_BINARY" status --json "${providers[@]}" "$src" >"$out/status.json" 2>&1
grep -q completed "$out/status.txt" || fail "status does not show the deployment completed"

# 4. The watcher looks the values up at every reconcile.
port=$((20000 + $$ % 20000))
"$STOWAGE_BINARY" watch "$src" "${providers[@]}" --interval 1s --resync 2s --settle 1s \
  --listen "127.0.0.1:$port" >"$out/watch.log" 2>&1 &
watch_pid=$!
trap 'kill "$watch_pid" 2>/dev/null; wait "$watch_pid" 2>/dev/null; cleanup' EXIT
wait_for "the watcher's first reconcile" 30 grep -q "reconciled" "$out/watch.log"
printf '%s\n' "$db3" >"$work/secrets/prod/db"
wait_for "the watcher to roll the changed secret out" 60 has_env "DB=$db3"
curl -sf "127.0.0.1:$port/status" >"$out/watch-status.json" || fail "/status"
curl -sf "127.0.0.1:$port/metrics" >"$out/watch-metrics.txt" || fail "/metrics"
curl -sf "127.0.0.1:$port/" >"$out/watch-page.html" || fail "the status page"
curl -sf "127.0.0.1:$port/ui/main" >"$out/watch-ui-main.html" || fail "/ui/main"
kill -TERM "$watch_pid" && wait "$watch_pid"
"$STOWAGE_BINARY" history "$src" >"$out/history.txt" 2>&1 || fail "history"

# 5. No value anywhere: outputs, saved plan, container labels.
for e in $(all_engines); do
  docker -H "$e" ps -aq --filter "label=io.stowage.cluster=$cluster" |
    xargs -r docker -H "$e" inspect -f '{{json .Config.Labels}}'
done >"$out/labels.json"
for v in "${values[@]}"; do
  if grep -rlF -- "$v" "$out"; then fail "the value $v appears in the file(s) above"; fi
done
for f in validate.txt plan.txt plan.json apply.txt apply.json status.txt status.json \
  watch.log watch-status.json watch-metrics.txt watch-page.html watch-ui-main.html history.txt \
  labels.json; do
  [ -s "$out/$f" ] || fail "$f is empty: the search above proves nothing"
done
echo "PASS: secrets from every provider reached the container, changed values rolled out," \
  "and no value appeared in $(ls "$out" | wc -l) outputs"
