#!/usr/bin/env bash
# The watcher's status page in a real browser: a watcher over three real engines
# serves GET /; check_page.mjs loads it in Debian's headless chromium (through
# playwright-core, from the npm registry, cached), checks the DOM against
# /status, changes the source and sees the page follow without a reload, saves a
# screenshot (build/test-artifacts/status-page.png) and runs axe-core.
set -euo pipefail
: "${STOWAGE_BINARY:?}" "${STOWAGE_TEST_ENGINES:?}" "${STOWAGE_TEST_IMAGE:?}"
here=$(cd "$(dirname "$0")" && pwd)
artifacts=${STOWAGE_ARTIFACTS:-$(dirname "$STOWAGE_BINARY")/test-artifacts}
mkdir -p "$artifacts"
work=$(mktemp -d /tmp/stowage-page-test-XXXXXX)
cluster="page-it-$$"
port=$((20000 + ($$ + 7) % 20000))
pid=""
IFS=, read -ra socks <<<"$STOWAGE_TEST_ENGINES"
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  for s in "${socks[@]}"; do
    for label in io.stowage.cluster io.stowage.lock io.stowage.history; do
      ids=$(DOCKER_HOST=$s docker ps -aq --filter "label=$label=$cluster" || true)
      [ -n "$ids" ] && DOCKER_HOST=$s docker rm -f $ids >/dev/null || true
    done
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- watch log" >&2; tail -50 "$work/watch.log" >&2; exit 1; }

# node, npm and chromium come with scripts/deps.sh test; the two npm packages are
# installed once per lock file into a cache outside the build tree.
npm_dir=${STOWAGE_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stowage-npm}/page-$(sha256sum "$here/package-lock.json" | cut -c1-12)
if [ ! -d "$npm_dir/node_modules/playwright-core" ]; then
  mkdir -p "$npm_dir"
  cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"
fi
cp "$here/check_page.mjs" "$npm_dir/"

src="$work/src"
mkdir -p "$src"
{
  echo "kind: Cluster"
  echo "name: $cluster"
  echo "hosts:"
  i=1
  for s in "${socks[@]}"; do echo "  - name: h$i"; echo "    endpoint: $s"; i=$((i + 1)); done
} >"$src/cluster.yaml"
cat >"$src/web.yaml" <<YAML
family: web
containerDefinitions:
  - name: app
    image: $STOWAGE_TEST_IMAGE
    cpu: 16
    memory: 16
    command: ["sleep", "3600"]
    stopTimeout: 1
---
serviceName: web
taskDefinition: web
desiredCount: 3
YAML
cat >"$src/api.yaml" <<YAML
family: api
containerDefinitions:
  - name: app
    image: $STOWAGE_TEST_IMAGE
    cpu: 32
    memory: 32
    command: ["sleep", "3600"]
    stopTimeout: 1
    healthCheck:
      command: ["CMD-SHELL", "true"]
      interval: 5
      timeout: 2
      retries: 1
      startPeriod: 0
---
serviceName: api
taskDefinition: api
desiredCount: 2
YAML

"$STOWAGE_BINARY" watch "$src" --interval 1s --resync 5s --settle 1s --listen "$port" \
  >"$work/watch.log" 2>&1 &
pid=$!
url="http://127.0.0.1:$port/"
for _ in $(seq 150); do
  if curl -sf "${url}status" | jq -e '[.services[]? | select(.running == .desired)] | length == 2' \
       >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || fail "the watcher exited"
  sleep 0.2
done
curl -sf "${url}status" | jq -e '[.services[]? | select(.running == .desired)] | length == 2' \
  >/dev/null || fail "web and api did not converge"
curl -sI "$url" | grep -qi "^content-security-policy: default-src 'none'" || fail "no CSP on /"

node "$npm_dir/check_page.mjs" "$url" "$src" "$artifacts" || fail "the page check failed"
echo "PASS: status page (screenshot: $artifacts/status-page.png)"
