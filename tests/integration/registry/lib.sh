# Shared by the registry integration scripts (sourced after ../apply/lib.sh).
#
# Starts a private registry (tests/harness/registry.sh, user stowage,
# password s3cret-pw; stopped on EXIT with `cleanup`), pushes the harness
# image there as $STOWAGE_REGISTRY/stowage/NAME:1 ($image; NAME is the first
# argument) with DOCKER_CONFIG=$work/push, and removes it from every engine.
#   unpull            removes $image from every shared engine again
#   private VERSION [COUNT]   writes $src/p.yaml: service p on $image (a new
#                     revision per VERSION, COUNT tasks, default 3), with the
#                     container lines of $private_extra (if set) after `memory`
reg_harness=$(dirname "${BASH_SOURCE[0]}")/../../harness/registry.sh
regroot=/tmp/stw-reg-$$
trap '"$reg_harness" stop "$regroot" >/dev/null 2>&1; cleanup' EXIT
"$reg_harness" start "$regroot" stowage s3cret-pw >/dev/null 2>&1 || fail "could not start the registry"
# shellcheck disable=SC1091
source "$regroot/registry.env"
image=$STOWAGE_REGISTRY/stowage/$1:1

e1=$(engine 1)
export DOCKER_CONFIG=$work/push
mkdir -p "$DOCKER_CONFIG"
docker -H "$e1" login "$STOWAGE_REGISTRY" -u stowage -p s3cret-pw >/dev/null 2>&1 || fail "docker login"
docker -H "$e1" tag stowage/busybox:1 "$image"
docker -H "$e1" push "$image" >/dev/null || fail "docker push"
unpull() { local e; for e in $(all_engines); do docker -H "$e" rmi -f "$image" >/dev/null 2>&1; done; return 0; }
unpull

private() {
  {
    printf 'family: p\ncontainerDefinitions:\n  - name: app\n    image: %s\n    memory: 16\n' "$image"
    [ -n "${private_extra:-}" ] && printf '%s\n' "$private_extra"
    cat <<YAML
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    environment: [{name: VERSION, value: "$1"}]
    stopTimeout: 1
---
serviceName: p
taskDefinition: p
desiredCount: ${2:-3}
YAML
  } >"$src/p.yaml"
}
