#!/usr/bin/env bash
# Real Docker engines for stowage's integration tests and benchmarks.
#
#   engines.sh start N ROOT [DOCKERD-ARGS...]   start N independent dockerd engines under ROOT
#   engines.sh stop ROOT                        stop everything started under ROOT, remove ROOT
#   engines.sh env ROOT                         print the env file (sockets, image)
#
# ROOT must be a short path (unix socket paths are limited to 108 bytes), e.g.
# /tmp/stw-1a2b3c4d. Engine i (1..N) gets ROOT/e<i>/{data,exec} as --data-root and
# --exec-root (dockerd 20.10 starts its own containerd under exec-root), the socket
# ROOT/e<i>.sock, the pid file ROOT/e<i>/dockerd.pid and the log ROOT/e<i>/dockerd.log.
# Every engine gets its own bridge (stw<hash><i>, a free 10.199.X.0/24 taken under
# a lock) so containers in network mode "bridge" and published ports work on every
# engine; --iptables=false and --ip-masq=false keep the engines off the host's
# iptables chains (published ports go through docker-proxy). Extra DOCKERD-ARGS
# (e.g. -H tcp://127.0.0.1:PORT --tlsverify ...) are passed to every engine.
#
# Each engine answers /_ping before `start` returns, and has the image
# stowage/busybox:1 imported (busybox-static with symlinks for its applets).
# ROOT/engines.env lists STOWAGE_TEST_ENGINES (comma-separated unix:// URLs),
# STOWAGE_TEST_ENGINE_<i> and STOWAGE_TEST_IMAGE.
#
# `stop` kills by pid only what was started under ROOT: each dockerd (TERM, then
# KILL), then any process (containerd, shims, docker-proxy) whose command line
# names ROOT, unmounts what is mounted below ROOT, deletes the bridges and ROOT.
# `start` on a ROOT left over by a crashed run stops it first.
# docker.io and busybox-static are installed when missing (needs root).
set -euo pipefail

IMAGE=stowage/busybox:1
APPLETS=(sh ash sleep httpd wget nc echo cat ls true false kill ps env id test mkdir rm
         touch printf grep sed head tail wc date hostname ping uname cp mv ln chmod pwd
         which expr seq tr cut sort uniq timeout vi ip ifconfig netstat stat df du mount
         whoami dd yes find xargs)

die() { echo "engines.sh: $*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "needs root to start dockerd"
}

ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  [ -x /bin/busybox ] && dpkg-query -W -f='${Status}' busybox-static 2>/dev/null |
    grep -q "install ok installed" || missing+=(busybox-static)
  command -v docker >/dev/null || missing+=(docker.io)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "engines.sh: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# A short tag unique to ROOT, for bridge names (<= 15 chars with the prefix).
root_tag() { printf '%s' "$1" | md5sum | cut -c1-8; }

# Creates bridge $1 on a free 10.199.X.1/24 and prints the CIDR of its address.
make_bridge() {
  local name=$1 x
  exec 9>/tmp/stowage-harness.lock
  flock 9
  local addrs
  addrs=$(ip -4 addr)
  for x in $(seq 1 254); do
    # Not `ip | grep -q` under pipefail: grep quitting early makes ip die of SIGPIPE,
    # the pipeline fail, and a subnet in use look free.
    if ! grep -q "inet 10\.199\.$x\." <<<"$addrs"; then
      ip link add "$name" type bridge
      ip addr add "10.199.$x.1/24" dev "$name"
      ip link set "$name" up
      flock -u 9
      echo "10.199.$x.1/24"
      return 0
    fi
  done
  flock -u 9
  die "no free 10.199.X.0/24 subnet for a bridge"
}

build_image_tar() {
  local out=$1 rootfs
  rootfs=$(mktemp -d "$ROOT/rootfs.XXXXXX")
  mkdir -p "$rootfs"/{bin,etc,tmp,www,proc,sys,dev,root}
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for a in "${APPLETS[@]}"; do ln -s busybox "$rootfs/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
    >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  tar -C "$rootfs" -cf "$out" .
  rm -rf "$rootfs"
}

wait_ping() {
  local sock=$1 pid=$2 log=$3 i
  for i in $(seq 1 300); do
    if curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; die "dockerd for $sock exited"; }
    sleep 0.2
  done
  tail -20 "$log" >&2
  die "dockerd for $sock did not answer within 60s"
}

cmd_start() {
  local n=$1
  ROOT=$2
  shift 2
  need_root
  [ ${#ROOT} -le 60 ] || die "ROOT path too long for unix sockets: $ROOT"
  if [ -e "$ROOT" ]; then cmd_stop "$ROOT"; fi
  ensure_packages
  mkdir -p "$ROOT"
  echo '{}' >"$ROOT/daemon.json"
  local tag i e sock cidr pid engines=""
  tag=$(root_tag "$ROOT")
  for i in $(seq 1 "$n"); do
    e="$ROOT/e$i"
    sock="$ROOT/e$i.sock"
    mkdir -p "$e/data" "$e/exec"
    cidr=$(make_bridge "stw$tag$i")
    echo "stw$tag$i" >>"$ROOT/bridges"
    setsid dockerd --config-file "$ROOT/daemon.json" \
      --data-root "$e/data" --exec-root "$e/exec" --pidfile "$e/dockerd.pid" \
      -H "unix://$sock" --bridge "stw$tag$i" --iptables=false --ip-masq=false \
      --ip-forward=false --shutdown-timeout 3 --log-level warn "$@" \
      >"$e/dockerd.log" 2>&1 </dev/null &
    echo $! >"$e/dockerd.pid.started"
    engines+="${engines:+,}unix://$sock"
    echo "engine $i: unix://$sock bridge stw$tag$i ($cidr)" >&2
  done
  build_image_tar "$ROOT/busybox.tar"
  for i in $(seq 1 "$n"); do
    sock="$ROOT/e$i.sock"
    pid=$(cat "$ROOT/e$i/dockerd.pid.started")
    wait_ping "$sock" "$pid" "$ROOT/e$i/dockerd.log"
    docker -H "unix://$sock" import -c 'CMD ["sh"]' "$ROOT/busybox.tar" "$IMAGE" >/dev/null
  done
  {
    echo "STOWAGE_TEST_ENGINES=$engines"
    for i in $(seq 1 "$n"); do echo "STOWAGE_TEST_ENGINE_$i=unix://$ROOT/e$i.sock"; done
    echo "STOWAGE_TEST_IMAGE=$IMAGE"
  } >"$ROOT/engines.env"
  echo "engines.sh: $n engines up under $ROOT" >&2
}

# Pids of processes whose command line mentions ROOT (containerd, shims, proxies).
pids_under_root() {
  local p
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" = "$$" ] && continue
    if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "$ROOT/"; then
      echo "${p#/proc/}"
    fi
  done
}

# Alive and not a zombie waiting to be reaped.
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null; }

stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 150); do
    alive "$pid" || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cmd_stop() {
  ROOT=$1
  need_root
  [ -d "$ROOT" ] || return 0
  local f pid p
  for f in "$ROOT"/e*/dockerd.pid.started; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    # Only a dockerd we started: its command line names ROOT.
    if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$ROOT/"; then
      stop_pid "$pid" &
    fi
  done
  wait
  for pid in $(pids_under_root); do kill -KILL "$pid" 2>/dev/null || true; done
  sleep 0.2
  # Unmount deepest first (overlay layers, shm, netns) before removing the tree.
  awk -v r="$ROOT/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
  if [ -f "$ROOT/bridges" ]; then
    while read -r b; do ip link del "$b" 2>/dev/null || true; done <"$ROOT/bridges"
  fi
  rm -rf "$ROOT"
}

case "${1:-}" in
  start)
    [ $# -ge 3 ] || die "usage: engines.sh start N ROOT [DOCKERD-ARGS...]"
    n=$2; root=$3; shift 3
    cmd_start "$n" "$root" "$@" ;;
  stop)
    [ $# -eq 2 ] || die "usage: engines.sh stop ROOT"
    cmd_stop "$2" ;;
  env)
    [ $# -eq 2 ] || die "usage: engines.sh env ROOT"
    cat "$2/engines.env" ;;
  *)
    die "usage: engines.sh start N ROOT [DOCKERD-ARGS...] | stop ROOT | env ROOT" ;;
esac
