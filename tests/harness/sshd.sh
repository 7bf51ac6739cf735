#!/usr/bin/env bash
# OpenSSH servers on loopback for stowage's ssh:// tests and benchmarks.
#
#   sshd.sh start N ROOT    start N sshd on free 127.0.0.1 ports under ROOT
#   sshd.sh stop ROOT       stop them (by pid) and their sessions, remove ROOT
#   sshd.sh kill ROOT I     stop server I and its sessions (an ssh that dies)
#
# Each server i (1..N) has its own host key (ROOT/s<i>/host_ed25519), pid
# file, log and port, and lets root in with the one user key ROOT/id_ed25519
# (public key authentication only, no PAM). ROOT/sshd.env lists
# STOWAGE_SSH_KEY (the user's private key), STOWAGE_SSH_PORT_<i> and
# STOWAGE_SSH_HOSTKEY_<i> (the host's public key line, for `hostKey:`).
# Sessions run the machine's own `docker` CLI, so an endpoint
# ssh://root@127.0.0.1:PORT/path/to/engine.sock reaches a harness engine
# through `docker --host unix:///path/to/engine.sock system dial-stdio`.
# Servers listed in $STOWAGE_SSHD_NO_STREAMLOCAL (e.g. "3") refuse unix socket
# forwarding (AllowStreamLocalForwarding no), as hardened servers do.
# openssh-server is installed when missing (needs root).
set -euo pipefail

die() { echo "sshd.sh: $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cmd_start() {
  local n=$1 root=$2 i dir port
  [ "$(id -u)" -eq 0 ] || die "needs root (sshd, root login)"
  [ -x /usr/sbin/sshd ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends openssh-server >/dev/null
  [ -e "$root" ] && cmd_stop "$root"
  mkdir -p "$root" /run/sshd
  chmod 700 "$root"
  ssh-keygen -q -t ed25519 -N '' -C stowage-test -f "$root/id_ed25519"
  cp "$root/id_ed25519.pub" "$root/authorized_keys"
  echo "STOWAGE_SSH_KEY=$root/id_ed25519" >"$root/sshd.env"
  for i in $(seq 1 "$n"); do
    dir=$root/s$i
    mkdir -p "$dir"
    ssh-keygen -q -t ed25519 -N '' -C "s$i" -f "$dir/host_ed25519"
    port=$(free_port)
    cat >"$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $root/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 50:30:100
MaxSessions 32
CONF
    case " ${STOWAGE_SSHD_NO_STREAMLOCAL:-} " in
      *" $i "*) echo "AllowStreamLocalForwarding no" >>"$dir/sshd_config" ;;
    esac
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" || die "sshd $i did not start"
    for _ in $(seq 1 50); do [ -s "$dir/sshd.pid" ] && break; sleep 0.1; done
    [ -s "$dir/sshd.pid" ] || die "sshd $i wrote no pid file"
    echo "STOWAGE_SSH_PORT_$i=$port" >>"$root/sshd.env"
    echo "STOWAGE_SSH_HOSTKEY_$i=\"$(cut -d' ' -f1,2 "$dir/host_ed25519.pub")\"" >>"$root/sshd.env"
  done
  echo "sshd.sh: $n sshd up under $root" >&2
}

# Kills server i's listener and every session it forked, by pid.
kill_server() {
  local dir=$1 pid kids
  [ -s "$dir/sshd.pid" ] || return 0
  pid=$(cat "$dir/sshd.pid")
  kids=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
  kill "$pid" $kids 2>/dev/null || true
  rm -f "$dir/sshd.pid"
}

cmd_stop() {
  local root=$1 dir
  for dir in "$root"/s*/; do
    [ -d "$dir" ] && kill_server "${dir%/}"
  done
  rm -rf "$root"
}

case "${1:-}" in
  start) [ $# -eq 3 ] || die "usage: sshd.sh start N ROOT"; cmd_start "$2" "$3" ;;
  stop) [ $# -eq 2 ] || die "usage: sshd.sh stop ROOT"; cmd_stop "$2" ;;
  kill) [ $# -eq 3 ] || die "usage: sshd.sh kill ROOT I"; kill_server "$2/s$3" ;;
  *) die "usage: sshd.sh start N ROOT | stop ROOT | kill ROOT I" ;;
esac
