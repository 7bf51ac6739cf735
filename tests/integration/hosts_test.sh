#!/usr/bin/env bash
# `stowage hosts` against real engines: two of the fixture's engines, one of
# them running a managed task, and a third engine started here and stopped, so
# its host is unreachable: the table still prints every host and the exit is 1.
set -euo pipefail
IFS=, read -r -a engines <<<"$STOWAGE_TEST_ENGINES"
work=$(mktemp -d /tmp/stowage-hosts-test.XXXXXX)
src=$work/src  # the source; outputs stay outside it
mkdir "$src"
stopped=/tmp/stw-hosts-$$
cluster=hosts-it-$$
cleanup() {
  docker -H "${engines[1]}" rm -f "web.app.$cluster" >/dev/null 2>&1 || true
  "$STOWAGE_HARNESS" stop "$stopped" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$STOWAGE_HARNESS" start 1 "$stopped" 2>/dev/null
"$STOWAGE_HARNESS" stop "$stopped"

cat >"$src/cluster.yaml" <<YAML
kind: Cluster
name: $cluster
hosts:
  - name: web-1
    endpoint: ${engines[0]}
    attributes: { zone: a }
    reserved: { cpu: 256, memory: 512 }
  - name: web-2
    endpoint: ${engines[1]}
    attributes: { zone: b }
  - name: web-3
    endpoint: unix://$stopped/e1.sock
YAML
docker -H "${engines[1]}" run -d --name "web.app.$cluster" \
  -l io.stowage.cluster="$cluster" -l io.stowage.host=web-2 -l io.stowage.service=web \
  -l io.stowage.task=t1 -l io.stowage.family=web -l io.stowage.revision=r1 \
  -l io.stowage.container=app -l io.stowage.cpu=512 -l io.stowage.memory=256 \
  "$STOWAGE_TEST_IMAGE" sleep 300 >/dev/null

ncpu=$(docker -H "${engines[0]}" info -f '{{.NCPU}}')
mem=$(( $(docker -H "${engines[0]}" info -f '{{.MemTotal}}') / 1048576 ))
version=$(docker -H "${engines[0]}" version -f '{{.Server.Version}}')
version=${version//+/\\+}

set +e
"$STOWAGE_BINARY" hosts "$src" >"$work/out.txt" 2>"$work/err.txt"
rc=$?
set -e
cat "$work/out.txt"
[ $rc -eq 1 ] || fail "exit $rc, expected 1 (web-3 is unreachable)"
[ "$(wc -l <"$work/out.txt")" -eq 4 ] || fail "expected a header and 3 rows"
head -1 "$work/out.txt" | grep -Eq '^HOST +ENDPOINT +ENGINE +CPU +MEMORY +RESERVED +USED +TASKS +ATTRIBUTES +STATUS$' ||
  fail "header"
grep -Eq "^web-1 +${engines[0]} +$version +$((ncpu * 1024)) +$mem MiB +256 cpu, 512 MiB +0 cpu, 0 MiB +0 +zone=a +reachable$" "$work/out.txt" ||
  fail "web-1 row"
grep -Eq "^web-2 +${engines[1]} +$version +$((ncpu * 1024)) +$mem MiB +0 cpu, 0 MiB +512 cpu, 256 MiB +1 +zone=b +reachable$" "$work/out.txt" ||
  fail "web-2 row"
grep -Eq "^web-3 +unix://$stopped/e1.sock +- +- +- +0 cpu, 0 MiB +- +- +- +unreachable: unix://$stopped/e1.sock: cannot connect to $stopped/e1.sock: No such file or directory$" "$work/out.txt" ||
  fail "web-3 row"

set +e
"$STOWAGE_BINARY" hosts --json "$src" >"$work/out.json"
rc=$?
set -e
[ $rc -eq 1 ] || fail "--json exit $rc, expected 1"
python3 - "$work/out.json" "$cluster" "$ncpu" "$mem" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
cluster, ncpu, mem = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
assert doc["cluster"] == cluster, doc
h = {x["name"]: x for x in doc["hosts"]}
assert [x["name"] for x in doc["hosts"]] == ["web-1", "web-2", "web-3"]
assert h["web-1"]["reachable"] and h["web-1"]["error"] is None
assert h["web-1"]["capacity"] == {"cpu": ncpu * 1024, "memory": mem}, h["web-1"]
assert h["web-1"]["reserved"] == {"cpu": 256, "memory": 512}
assert h["web-1"]["api_version"] == "1.41"
assert h["web-2"]["used"] == {"cpu": 512, "memory": 256} and h["web-2"]["tasks"] == 1
assert h["web-2"]["attributes"] == {"zone": "b"}
assert not h["web-3"]["reachable"]
assert h["web-3"]["error"].startswith("unreachable: unix://"), h["web-3"]["error"]
assert "capacity" not in h["web-3"]
PY

# Every host answering: exit 0.
sed -i '/name: web-3/,$d' "$src/cluster.yaml"
"$STOWAGE_BINARY" hosts "$src" >/dev/null || fail "exit $? with every host reachable"
echo "stowage hosts: table, --json and exit codes as expected"
