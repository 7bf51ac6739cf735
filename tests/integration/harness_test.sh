#!/usr/bin/env bash
# The test harness itself: the three engines of the fixture answer, each has
# stowage/busybox:1 with the applets tests rely on, each has its own bridge with
# working published ports, and a container on one engine is invisible to the others.
set -euo pipefail
IFS=, read -r -a engines <<<"$STOWAGE_TEST_ENGINES"
[ ${#engines[@]} -eq 3 ] || { echo "expected 3 engines, got ${#engines[@]}"; exit 1; }
name=harness-test-$$
cleanup() { docker -H "${engines[0]}" rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
for e in "${engines[@]}"; do
  out=$(docker -H "$e" run --rm "$STOWAGE_TEST_IMAGE" sh -c \
        'for a in sh sleep httpd wget nc echo cat ls true false kill; do command -v $a >/dev/null || echo missing $a; done; echo ok')
  [ "$out" = ok ] || { echo "$e: $out"; exit 1; }
done
docker -H "${engines[0]}" run -d --name "$name" -p 0:80 "$STOWAGE_TEST_IMAGE" \
  sh -c 'echo hello >/www/index.html; exec httpd -f -p 80 -h /www' >/dev/null
port=$(docker -H "${engines[0]}" port "$name" 80/tcp | head -1 | sed 's/.*://')
got=""
for _ in $(seq 1 50); do
  got=$(wget -q -O - "http://127.0.0.1:$port/" 2>/dev/null || busybox wget -q -O - "http://127.0.0.1:$port/" 2>/dev/null || true)
  [ "$got" = hello ] && break
  sleep 0.1
done
[ "$got" = hello ] || { echo "published port $port did not serve: '$got'"; exit 1; }
for e in "${engines[@]:1}"; do
  if docker -H "$e" inspect "$name" >/dev/null 2>&1; then
    echo "$name is visible on $e: engines are not independent"; exit 1
  fi
done
echo "harness: 3 engines, image present, ports published, engines independent"
