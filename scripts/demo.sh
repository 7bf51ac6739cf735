#!/usr/bin/env bash
# The main job, from a clean clone on Debian 12: installs dependencies, builds
# stowage, and deploys examples/ on a local Docker engine: the one DOCKER_HOST
# or /var/run/docker.sock names when it answers and has the demo image, else a
# private engine started (as root) with the test harness under /tmp/stowage-demo.
# Then it shows `stowage status`. Clean up with scripts/demo-cleanup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target stowage  # the tool only; scripts/test.sh builds the tests
echo "== stowage validate examples"
build/stowage validate examples

DEMO_ROOT=/tmp/stowage-demo
IMAGE=stowage/busybox:1
if docker info >/dev/null 2>&1 && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "demo: using the local engine ($(docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || echo default))"
else
  echo "demo: starting a private engine under $DEMO_ROOT (image $IMAGE imported)"
  tests/harness/engines.sh start 1 "$DEMO_ROOT"
  export DOCKER_HOST="unix://$DEMO_ROOT/e1.sock"
fi

build/stowage apply examples --auto-approve --settle 3
build/stowage status examples

cat <<MSG

The demo cluster runs on ${DOCKER_HOST:-the local engine}:
  DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock} docker ps --filter label=io.stowage.cluster=demo
Try: edit examples/web.yaml (desiredCount, command) and run
  ${DOCKER_HOST:+DOCKER_HOST=$DOCKER_HOST }build/stowage apply examples
Clean up (removes the demo's containers, and the private engine if one was started):
  scripts/demo-cleanup.sh
MSG
