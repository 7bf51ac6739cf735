#!/usr/bin/env bash
# The main job, from a clean clone on Debian 12: installs dependencies, builds
# stowage, and deploys examples/ on a local Docker engine: the one DOCKER_HOST
# or /var/run/docker.sock names when it answers and has the demo image, else a
# private engine started (as root) with the test harness under /tmp/stowage-demo.
# The web service takes its traffic through a local HAProxy the demo starts
# (Debian package haproxy, on loopback; stowage fills its backend through the
# Runtime API): the demo applies a copy of examples/ under /tmp/stowage-demo-src
# whose cluster file declares that balancer and whose web service binds to it.
# Then it shows `stowage status` and the URL to curl. Clean up with
# scripts/demo-cleanup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
command -v haproxy >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends haproxy >/dev/null
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

# examples/, with the web service behind the demo's HAProxy.
DEMO_SRC=/tmp/stowage-demo-src
DEMO_LB=/tmp/stowage-demo-lb
tests/harness/haproxy.sh start "$DEMO_LB" web
. "$DEMO_LB/haproxy.env"
rm -rf "$DEMO_SRC" && cp -r examples "$DEMO_SRC"
cat >>"$DEMO_SRC/cluster.yaml" <<YAML
loadBalancers:
  - name: edge
    kind: haproxy
    runtimeApi: unix://$STOWAGE_HAPROXY_SOCKET
    targetGroups:
      - {name: web-tg, backend: web, deregistrationDelay: 5s}
YAML
cat >>"$DEMO_SRC/web.yaml" <<YAML
loadBalancers:
  - targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09"
    containerName: httpd
    containerPort: 8080
YAML
build/stowage validate "$DEMO_SRC"
build/stowage apply "$DEMO_SRC" --auto-approve --settle 3
build/stowage status "$DEMO_SRC"

cat <<MSG

The demo cluster runs on ${DOCKER_HOST:-the local engine}:
  DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock} docker ps --filter label=io.stowage.cluster=demo
The web service answers through HAProxy (each task registered once healthy):
  curl $STOWAGE_HAPROXY_URL_web
Try: edit $DEMO_SRC/web.yaml (desiredCount, GREETING_NAME) and run
  ${DOCKER_HOST:+DOCKER_HOST=$DOCKER_HOST }build/stowage apply $DEMO_SRC
while curling in a loop: old tasks are drained before they stop.
Clean up (removes the demo's containers and HAProxy, and the private engine if one was started):
  scripts/demo-cleanup.sh
MSG
