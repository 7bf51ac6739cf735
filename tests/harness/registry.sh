#!/usr/bin/env bash
# A private Docker registry on loopback for stowage's registry tests.
#
#   registry.sh start ROOT USER PASSWORD   Debian's docker-registry on a free
#                                          127.0.0.1 port, htpasswd (bcrypt) auth
#   registry.sh stop ROOT                  stop it (by pid), remove ROOT
#
# ROOT/registry.env holds STOWAGE_REGISTRY (127.0.0.1:PORT). Engines pull from
# it over plain HTTP: dockerd allows insecure registries on 127.0.0.0/8.
# docker-registry and apache2-utils (htpasswd) are installed when missing.
set -euo pipefail

die() { echo "registry.sh: $*" >&2; exit 1; }

cmd_start() {
  local root=$1 user=$2 password=$3 port i
  local missing=()
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v htpasswd >/dev/null || missing+=(apache2-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  [ -e "$root" ] && cmd_stop "$root"
  mkdir -p "$root/data"
  htpasswd -Bbn "$user" "$password" >"$root/htpasswd"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$root/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $root/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
auth:
  htpasswd:
    realm: stowage-test
    path: $root/htpasswd
CONF
  docker-registry serve "$root/config.yml" >"$root/registry.log" 2>&1 &
  echo $! >"$root/registry.pid"
  for i in $(seq 1 100); do
    # 401 without credentials: up, and asking for them.
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
    [ "$code" = 401 ] && break
    kill -0 "$(cat "$root/registry.pid")" 2>/dev/null || { cat "$root/registry.log" >&2; die "registry exited"; }
    sleep 0.1
  done
  [ "$code" = 401 ] || die "registry on port $port did not answer"
  echo "STOWAGE_REGISTRY=127.0.0.1:$port" >"$root/registry.env"
  echo "registry.sh: registry up at 127.0.0.1:$port" >&2
}

cmd_stop() {
  local root=$1 pid
  if [ -s "$root/registry.pid" ]; then
    pid=$(cat "$root/registry.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$root"
}

case "${1:-}" in
  start) [ $# -eq 4 ] || die "usage: registry.sh start ROOT USER PASSWORD"; cmd_start "$2" "$3" "$4" ;;
  stop) [ $# -eq 2 ] || die "usage: registry.sh stop ROOT"; cmd_stop "$2" ;;
  *) die "usage: registry.sh start ROOT USER PASSWORD | stop ROOT" ;;
esac
