#!/usr/bin/env bash
# The operator's policy on real engines. Under the default policy (baseline)
# a source asking for a bind of the host's / and one asking for `privileged`
# are refused by validate, plan and apply alike, and nothing reaches the
# engine. Under a policy file that allows them for those services only, the
# bind of / is applied (docker inspect shows it) and the privileged service
# validates and plans (this engine, nested, cannot start privileged
# containers). A service running the same family without an exception is
# refused again.
STOWAGE_IT_NAME=policy
source "$(dirname "$0")/../apply/lib.sh"
e1=$(engine 1)
write_cluster "h1|$e1||"
cat >"$src/admin.yaml" <<YAML
family: admin
volumes:
  - name: hostroot
    host:
      sourcePath: /
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    memory: 16
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    mountPoints:
      - sourceVolume: hostroot
        containerPath: /host
        readOnly: true
    stopTimeout: 1
---
serviceName: admin
taskDefinition: admin
desiredCount: 1
YAML
cat >"$src/tool.yaml" <<YAML
family: tool
containerDefinitions:
  - name: app
    image: stowage/busybox:1
    memory: 16
    privileged: true
---
serviceName: tool
taskDefinition: tool
desiredCount: 1
YAML
expected="admin.yaml:5:19: error: host.sourcePath: \"/\" (a sensitive host path) not allowed by policy baseline (the default: no policy file); add it to allow.hostPaths, or allow it for this service under exceptions (rule hostPath)
tool.yaml:6:17: error: privileged: not allowed by policy baseline (the default: no policy file); allow it for this service under exceptions"

export STOWAGE_POLICY=  # the built-in default, whatever the environment says
[ -e /etc/stowage/policy.yaml ] && { echo "SKIPPED: /etc/stowage/policy.yaml exists"; exit 77; }
cd "$src" || fail "no source"
out=$(NO_COLOR=1 "$STOWAGE_BINARY" validate . 2>&1)
[ $? = 1 ] || fail "validate accepted the source: $out"
[ "$(grep error: <<<"$out")" = "$expected" ] || fail "validate said: $out"
out=$(NO_COLOR=1 "$STOWAGE_BINARY" plan . 2>&1)
[ $? = 1 ] || fail "plan accepted the source: $out"
grep -qF "tool.yaml:6:17: error: privileged: not allowed by policy baseline" <<<"$out" ||
  fail "plan said: $out"
out=$(NO_COLOR=1 apply_src 2>&1)
[ $? = 1 ] || fail "apply accepted the source: $out"
grep -qF "admin.yaml:5:19: error: host.sourcePath" <<<"$out" || fail "apply said: $out"
[ "$(running "$e1")" = 0 ] || fail "apply under baseline started a container"

# The operator allows them, for these services only.
cat >"$work/policy.yaml" <<YAML
level: baseline
exceptions:
  - service: admin
    allow: [hostPath]
  - service: tool
    allow: [privileged]
YAML
"$STOWAGE_BINARY" validate --policy "$work/policy.yaml" . >/dev/null || fail "validate under the policy"
STOWAGE_POLICY=$work/policy.yaml "$STOWAGE_BINARY" plan --detailed-exitcode . >/dev/null 2>&1
[ $? = 2 ] || fail "plan under STOWAGE_POLICY did not plan the changes"
rm "$src/tool.yaml"
apply_src --policy "$work/policy.yaml" >/dev/null 2>&1 || fail "apply under the policy failed"
id=$(docker -H "$e1" ps -q --filter "label=io.stowage.cluster=$cluster" --filter "label=io.stowage.service=admin")
[ -n "$id" ] || fail "no admin container after apply"
docker -H "$e1" inspect -f '{{range .Mounts}}{{.Source}}:{{.Destination}}:{{.RW}} {{end}}' "$id" |
  grep -qw "/:/host:false" || fail "no read-only bind of / at /host"

# Another service running the same family, without an exception: refused again.
printf -- '---\nserviceName: sneaky\ntaskDefinition: admin\ndesiredCount: 1\n' >>"$src/admin.yaml"
out=$(NO_COLOR=1 apply_src --policy "$work/policy.yaml" 2>&1)
[ $? = 1 ] || fail "apply accepted a second service without an exception: $out"
[ "$(running "$e1")" = 1 ] || fail "the refused apply changed the engine"
echo "PASS: policy refuses, then allows for the excused services only"
