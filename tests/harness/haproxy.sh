#!/usr/bin/env bash
# A real HAProxy on loopback for stowage's traffic tests, benchmarks and demo.
#
#   haproxy.sh start ROOT BACKEND...   start one haproxy under ROOT
#   haproxy.sh stop ROOT               stop it (by pid) and remove ROOT
#
# Each BACKEND gets an empty backend (no static server: stowage adds dynamic
# servers through the Runtime API; balance roundrobin, `option httpchk GET /`)
# and a frontend on a free loopback port. The Runtime API listens on the unix
# socket ROOT/admin.sock and on a free loopback tcp port, both at level admin.
# ROOT/haproxy.env then holds
#   STOWAGE_HAPROXY_SOCKET=ROOT/admin.sock
#   STOWAGE_HAPROXY_TCP=127.0.0.1:PORT            the Runtime API over tcp
#   STOWAGE_HAPROXY_URL_<BACKEND>=http://127.0.0.1:PORT/
# `retries 1` and no redispatch: a request sent to a target that is gone fails
# (it is not retried elsewhere), so the tests see what stowage's ordering does.
# haproxy is installed when missing (Debian package haproxy; needs root).
set -euo pipefail

die() { echo "haproxy.sh: $*" >&2; exit 1; }

ensure_haproxy() {
  command -v haproxy >/dev/null && return 0
  [ "$(id -u)" -eq 0 ] || die "haproxy is not installed (apt-get install haproxy)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
}

# A loopback tcp port nobody listens on (nor was handed out by this script just now).
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 20000))
    grep -qx "$port" "$ROOT/ports" 2>/dev/null && continue
    ss -Htln "sport = :$port" | grep -q . && continue
    echo "$port" >> "$ROOT/ports"
    echo "$port"
    return 0
  done
  die "no free loopback port"
}

start() {
  ROOT=$1; shift
  [ $# -ge 1 ] || die "usage: haproxy.sh start ROOT BACKEND..."
  ensure_haproxy
  [ -f "$ROOT/haproxy.pid" ] && stop "$ROOT"
  mkdir -p "$ROOT"
  local tcp; tcp=$(free_port)
  {
    echo "global"
    echo "  stats socket $ROOT/admin.sock mode 600 level admin"
    echo "  stats socket ipv4@127.0.0.1:$tcp level admin"
    echo "  stats timeout 30s"
    echo "defaults"
    echo "  mode http"
    echo "  timeout connect 2s"
    echo "  timeout client 30s"
    echo "  timeout server 30s"
    echo "  retries 1"
  } > "$ROOT/haproxy.cfg"
  {
    echo "STOWAGE_HAPROXY_SOCKET=$ROOT/admin.sock"
    echo "STOWAGE_HAPROXY_TCP=127.0.0.1:$tcp"
  } > "$ROOT/haproxy.env"
  local b port
  for b in "$@"; do
    port=$(free_port)
    {
      echo "frontend fe_$b"
      echo "  bind 127.0.0.1:$port"
      echo "  default_backend $b"
      echo "backend $b"
      echo "  balance roundrobin"
      echo "  option httpchk GET /"
    } >> "$ROOT/haproxy.cfg"
    echo "STOWAGE_HAPROXY_URL_$b=http://127.0.0.1:$port/" >> "$ROOT/haproxy.env"
  done
  haproxy -q -D -p "$ROOT/haproxy.pid" -f "$ROOT/haproxy.cfg" > "$ROOT/haproxy.log" 2>&1 ||
    { cat "$ROOT/haproxy.log" >&2; die "haproxy did not start"; }
  for _ in $(seq 1 50); do
    [ -S "$ROOT/admin.sock" ] && return 0
    sleep 0.1
  done
  die "haproxy started but $ROOT/admin.sock did not appear"
}

stop() {
  ROOT=$1
  if [ -f "$ROOT/haproxy.pid" ]; then
    local pid; pid=$(cat "$ROOT/haproxy.pid")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$ROOT"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; [ $# -eq 1 ] || die "usage: haproxy.sh stop ROOT"; stop "$1" ;;
  *) die "usage: haproxy.sh start ROOT BACKEND... | stop ROOT" ;;
esac
