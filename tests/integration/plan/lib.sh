# Shared by the plan integration scripts (sourced; set `cluster` first): the
# harness's engines, a scratch directory, cleanup of every container of
# $cluster on exit, and helpers.
source "$(dirname "${BASH_SOURCE[0]}")/../../harness/lib.sh"
IFS=, read -r -a engines <<<"$STOWAGE_TEST_ENGINES"
stowage=$STOWAGE_BINARY
image=$STOWAGE_TEST_IMAGE
dir=$(mktemp -d)
cleanup() {
  for e in "${engines[@]}"; do
    ids=$(docker -H "$e" ps -aq --filter "label=io.stowage.cluster=$cluster" 2>/dev/null || true)
    [ -z "$ids" ] || docker -H "$e" rm -f $ids >/dev/null 2>&1 || true
    docker -H "$e" rm -f "$cluster-by-hand" >/dev/null 2>&1 || true
  done
  rm -rf "$dir"
}
trap cleanup EXIT
exit_on_signals  # a ctest timeout (TERM) or ^C still runs cleanup
fail() { echo "FAIL: $*" >&2; exit 1; }

# A task container as stowage would have made it (labels, name, the definitions'
# 32 MiB memory limit), made with the docker CLI.
# $1 engine, $2 host, $3 service, $4 task id, $5 revision, then docker run args.
labelled() {
  local e=$1 host=$2 service=$3 task=$4 rev=$5; shift 5
  docker -H "$e" run -d --name "$service.app.$task" --memory 32m \
    --label io.stowage.cluster="$cluster" --label io.stowage.host="$host" \
    --label io.stowage.service="$service" --label io.stowage.task="$task" \
    --label io.stowage.family="$service" --label io.stowage.revision="$rev" \
    --label io.stowage.container=app "$image" "$@" >/dev/null
}
# $dir/cluster.yaml: cluster $cluster, hosts h1 and h2 on the first two
# engines, and h3 at endpoint $1 when given.
write_cluster() {
  {
    cat <<YAML
kind: Cluster
name: $cluster
hosts:
  - name: h1
    endpoint: ${engines[0]}
  - name: h2
    endpoint: ${engines[1]}
YAML
    [ -z "${1:-}" ] || printf '  - name: h3\n    endpoint: %s\n' "$1"
  } >"$dir/cluster.yaml"
}
# "service type host reason" per action, sorted; $1 = plan JSON.
actions() {
  jq -r '.services[] | .service as $s | .steps[].actions[] |
         "\($s) \(.type) \(.host) \(.reason)"' <<<"$1" | sort
}
