# Shared by the ssh:// integration scripts (sourced, after ../apply/lib.sh):
# three sshd of the script's own (tests/harness/sshd.sh) in front of the three
# shared engines, stopped by `cleanup`.
#   ssh_start          starts them; sets $sshroot and reads ROOT/sshd.env
#   ssh_endpoint N     ssh://root@127.0.0.1:PORT_N/<engine N's socket>
#   write_ssh_cluster [N:KEY-OF-M ...]   cluster.yaml of hosts s1..s3 over ssh
#                      (host N pinned with server M's key when given)
#   st CMD ARGS        stowage CMD $src --ssh-key $STOWAGE_SSH_KEY ARGS
#   sshd_nodelay PORT  TCP_NODELAY (0/1) of each connection sshd on PORT
#                      serves, read from sshd's own socket (pidfd_getfd)
sshd_harness=$(dirname "${BASH_SOURCE[0]}")/../../harness/sshd.sh

ssh_start() {
  sshroot=/tmp/stw-sshd-$$
  own_sshd=$sshroot
  "$sshd_harness" start 3 "$sshroot" >/dev/null 2>&1 || fail "could not start sshd"
  # (STOWAGE_SSHD_NO_STREAMLOCAL: servers that refuse socket forwarding)
  # shellcheck disable=SC1090,SC1091
  source "$sshroot/sshd.env"
}

ssh_cleanup() { [ -n "${own_sshd:-}" ] && "$sshd_harness" stop "$own_sshd" >/dev/null 2>&1; }
trap 'ssh_cleanup; cleanup' EXIT

ssh_endpoint() {
  local port=STOWAGE_SSH_PORT_$1 e
  e=$(engine "$1")
  echo "ssh://root@127.0.0.1:${!port}${e#unix://}"
}

write_ssh_cluster() {
  local i key pin
  {
    echo "kind: Cluster"
    echo "name: $cluster"
    echo "hosts:"
    for i in 1 2 3; do
      key=STOWAGE_SSH_HOSTKEY_$i
      for pin in "$@"; do
        [ "${pin%%:*}" = "$i" ] && key=STOWAGE_SSH_HOSTKEY_${pin#*:}
      done
      echo "  - name: s$i"
      echo "    endpoint: $(ssh_endpoint "$i")"
      echo "    hostKey: \"${!key}\""
      echo "    ssh: { options: { ServerAliveInterval: \"5\" } }"
    done
  } >"$src/cluster.yaml"
}

st() {
  local cmd=$1
  shift
  "$STOWAGE_BINARY" "$cmd" "$src" --ssh-key "$STOWAGE_SSH_KEY" "$@"
}

sshd_nodelay() {
  local pf
  for pf in $(ss -tnpH state established "( sport = :$1 )" | grep -o 'pid=[0-9]*,fd=[0-9]*' | sort -u); do
    python3 - "${pf#pid=}" <<'PY'
import ctypes, os, socket, sys
pid, fd = (int(x.split("=")[-1]) for x in sys.argv[1].split(","))
libc = ctypes.CDLL(None, use_errno=True)
pidfd = os.pidfd_open(pid)
got = libc.syscall(438, pidfd, fd, 0)  # pidfd_getfd: a copy of sshd's socket
if got < 0:
    sys.exit("pidfd_getfd: " + os.strerror(ctypes.get_errno()))
s = socket.socket(fileno=got)
print(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
PY
  done
}
