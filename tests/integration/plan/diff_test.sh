#!/usr/bin/env bash
# The field-level diff on real engines: apply a service, change its image and
# one environment variable in the source: `stowage plan` lists exactly those
# two changes (read from the labels of the containers apply made). Then, with
# the source as applied, `docker update` on a task shows under "changed outside
# stowage" only, never as a change of the source.
set -euo pipefail
cluster=difftest-$$
source "$(dirname "$0")/lib.sh"

write_cluster
write_web() {  # $1 image, $2 LOG_LEVEL
  cat >"$dir/web.yaml" <<YAML
family: web
containerDefinitions:
  - name: app
    image: $1
    command: [sleep, "3600"]
    memory: 32
    environment:
      - {name: LOG_LEVEL, value: $2}
      - {name: REGION, value: eu}
    secrets:
      - {name: TOKEN, valueFrom: token}
---
serviceName: web
taskDefinition: web
desiredCount: 2
YAML
}
# The operator's secrets, from the environment (--secrets-env).
export STOWAGE_SECRETS_ENV=DIFF_TEST_ DIFF_TEST_TOKEN=do-not-print-me
export DIFF_TEST_STOWAGE_FINGERPRINT_KEY=0f1e2d3c4b5a69788796a5b4c3d2e1f0

write_web "$image" info
"$stowage" apply --auto-approve --settle 1 "$dir" >/dev/null

# 1. Image and one variable: exactly those two lines.
write_web "stowage/busybox:does-not-exist" debug
text=$(NO_COLOR=1 "$stowage" plan "$dir")
got=$(sed -n '/^  changes:$/,/^  [^ ]/p' <<<"$text" | grep '^    ' || true)
want='    ~ containerDefinitions["app"].environment.LOG_LEVEL: "info" -> "debug"
    ~ containerDefinitions["app"].image: "'"$image"'" -> "stowage/busybox:does-not-exist"'
[ "$got" = "$want" ] || fail "changes:
$got
want:
$want
plan:
$text"
grep -q 'changed outside stowage' <<<"$text" && fail "no drift expected:
$text"
json=$("$stowage" plan --json "$dir")
[ "$(jq -r '.services[0].compared_with' <<<"$json")" = running ] || fail "compared_with: $json"
[ "$(jq '.services[0].changes | length' <<<"$json")" = 2 ] || fail "changes: $json"
for out in "$text" "$json" "$("$stowage" plan --format markdown "$dir")"; do
  grep -q do-not-print-me <<<"$out" && fail "a secret value reached the plan"
done
labels=$(docker -H "${engines[0]}" ps -a --filter "label=io.stowage.cluster=$cluster" \
  --format '{{.Labels}}')
grep -q do-not-print-me <<<"$labels" && fail "a secret value reached a label"

# 2. Source as applied; docker update on one task: drift only.
write_web "$image" info
id=$(docker -H "${engines[0]}" ps -q --filter "label=io.stowage.cluster=$cluster" | head -1)
docker -H "${engines[0]}" update --memory 64m --memory-swap 128m "$id" >/dev/null
text=$(NO_COLOR=1 "$stowage" plan "$dir")
grep -q '^  changes:$' <<<"$text" && fail "docker update shown as a change:
$text"
grep -Eq '^  changed outside stowage:$' <<<"$text" || fail "no drift section:
$text"
grep -Eq '^    h1 task [0-9a-f]{12}: app memory 64 MiB \(defined 32 MiB\)$' <<<"$text" ||
  fail "drift line:
$text"
echo "plan diff on real engines: ok"
