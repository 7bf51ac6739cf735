#!/usr/bin/env bash
# Undoes scripts/demo.sh: stops the private engine it started (if any), else
# removes the demo cluster's containers (label io.stowage.cluster=demo) and its
# lock from the local engine. Touches nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO_ROOT=/tmp/stowage-demo
# The demo's HAProxy (stopped by pid) and its copy of examples/.
tests/harness/haproxy.sh stop /tmp/stowage-demo-lb
rm -rf /tmp/stowage-demo-src
if [ -d "$DEMO_ROOT" ]; then
  tests/harness/engines.sh stop "$DEMO_ROOT"
  echo "demo-cleanup: private engine under $DEMO_ROOT stopped and removed"
  exit 0
fi
ids=$(docker ps -aq --filter label=io.stowage.cluster=demo; docker ps -aq --filter label=io.stowage.lock=demo; docker ps -aq --filter label=io.stowage.history=demo)
if [ -n "$ids" ]; then
  # shellcheck disable=SC2086
  docker rm -f $ids >/dev/null
fi
echo "demo-cleanup: removed $(echo "$ids" | grep -c . || true) container(s) of cluster demo"
