#!/usr/bin/env bash
# A load balancer on a remote host: `runtimeApi: ssh://root@127.0.0.1:PORT/...admin.sock`
# is reached through the ssh connection of the host with that endpoint (a real
# sshd of tests/harness/sshd.sh in front of a harness engine; HAProxy's admin
# socket forwarded by the master). apply registers the tasks, a scale-in
# deregisters one, status lists the targets; a runtimeApi naming no host's ssh
# endpoint is a validation error at its line; a server refusing socket
# forwarding and a path with no socket are errors that say so.
STOWAGE_IT_NAME=traffic-ssh
source "$(dirname "$0")/../apply/lib.sh"
source "$(dirname "$0")/../ssh/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
lb_root=$(mktemp -d /tmp/stw-lb.XXXXXX)
"$here/../../harness/haproxy.sh" start "$lb_root/lb" web || fail "haproxy did not start"
trap 'ssh_cleanup; cleanup; "$here/../../harness/haproxy.sh" stop "$lb_root/lb"; rm -rf "$lb_root"' EXIT
trap 'exit 143' TERM INT
set -a; . "$lb_root/lb/haproxy.env"; set +a
# s2's server refuses unix socket forwarding (AllowStreamLocalForwarding no).
export STOWAGE_SSHD_NO_STREAMLOCAL=2
ssh_start

write_cluster() {  # $1: the runtimeApi, $2: the host (default 1)
  local h=${2:-1} key
  key=STOWAGE_SSH_HOSTKEY_$h
  cat >"$src/cluster.yaml" <<YAML
kind: Cluster
name: $cluster
loadBalancers:
  - name: edge
    kind: haproxy
    runtimeApi: "$1"
    targetGroups: [{name: web-tg, backend: web, deregistrationDelay: 1s}]
hosts:
  - name: s$h
    endpoint: $(ssh_endpoint "$h")
    hostKey: "${!key}"
YAML
}
write_web() {  # $1: desired count
  { web_httpd_td w; cat <<YAML; } >"$src/web.yaml"
serviceName: web
taskDefinition: web
desiredCount: $1
loadBalancers: [{targetGroupArn: web-tg, containerName: web, containerPort: 8080}]
YAML
}
ssh1="ssh://root@127.0.0.1:$STOWAGE_SSH_PORT_1"

# 1. A runtimeApi over ssh that no host's endpoint names: an error at its line.
write_cluster "ssh://root@127.0.0.1:1$STOWAGE_HAPROXY_SOCKET"
write_web 2
out=$(st validate 2>&1) && fail "validate passed with an unknown ssh runtimeApi"
grep -q "cluster.yaml:6:17: error: runtimeApi: no host of the cluster has the ssh endpoint of" \
  <<<"$out" || fail "validate: $out"

# 2. Through host s1's connection: the plan shows the two registrations (no
# address before the tasks run), then both tasks become targets.
write_cluster "$ssh1$STOWAGE_HAPROXY_SOCKET"
plan=$(st plan --json) || fail "plan"
jq -e '.targets | length == 1 and .[0].group == "web-tg" and (.[0].register | length) == 2
       and all(.[0].register[]; .address == null and .host == "s1")' <<<"$plan" >/dev/null ||
  fail "plan targets: $(jq -c .targets <<<"$plan")"
text=$(NO_COLOR=1 st plan) || fail "plan text"
[ "$(grep -c '^  + register web\..* on s1 (address after start): new task (scale up [01] -> 2)$' \
  <<<"$text")" -eq 2 ] || fail "plan text: $text"
st apply --auto-approve --settle 1 >"$work/apply1" 2>&1 || { cat "$work/apply1"; fail "apply"; }
[ "$(hap_servers | grep -c '^web\.')" -eq 2 ] || fail "targets after apply: $(hap_servers)"
echo "ok: 2 targets registered over ssh: $(hap_servers | tr '\n' ' ')"
# One master for host s1, shared by its engine and its balancer (it persists
# for --ssh-persist seconds after the command).
masters=$(pgrep -fc -- "-p $STOWAGE_SSH_PORT_1 .*ControlMaster=yes" || true)
[ "$masters" -eq 1 ] || fail "$masters ssh masters to s1, want 1: $(pgrep -fa ControlMaster=yes)"
status=$(st status --json) || fail "status"
jq -e '.targetGroups[0].reachable and .targetGroups[0].targets == 2' <<<"$status" >/dev/null ||
  fail "status --json: $(jq -c .targetGroups <<<"$status")"
echo "ok: status reads the balancer over ssh: $(jq -c '.targetGroups[0]' <<<"$status")"

# 3. Scale-in: the plan deregisters the task it stops; apply does.
write_web 1
text=$(NO_COLOR=1 st plan) || fail "plan text"
grep -Eq '^  - deregister web\.[0-9a-f]+ on s1 127\.0\.0\.1:[0-9]+: scale in 2 -> 1$' <<<"$text" ||
  fail "plan text at scale-in: $text"
st apply --auto-approve --settle 1 >"$work/apply2" 2>&1 || { cat "$work/apply2"; fail "apply 2"; }
[ "$(hap_servers | grep -c '^web\.')" -eq 1 ] || fail "targets after scale-in: $(hap_servers)"
echo "ok: scale-in left 1 target"

# 4. A target deleted by hand over the Runtime API is healed by the next apply.
name=$(hap_servers | head -1)
hap "set server web/$name state maint" >/dev/null
hap "del server web/$name" >/dev/null
[ "$(hap_servers | grep -c '^web\.')" -eq 0 ] || fail "the target was not deleted by hand"
plan=$(st plan --json) || fail "plan"
jq -e --arg n "$name" '.targets[0].register == [.targets[0].register[0]]
       and .targets[0].register[0].name == $n
       and .targets[0].register[0].reason == "missing from the balancer"
       and (.targets[0].register[0].port | type) == "number"' <<<"$plan" >/dev/null ||
  fail "plan after the deletion by hand: $(jq -c .targets <<<"$plan")"
echo "ok: the plan shows the target deleted by hand: $(jq -c '.targets[0].register[0]' <<<"$plan")"
st plan --detailed-exitcode >"$work/plan-drift" 2>&1
rc=$?
[ $rc -eq 2 ] || { cat "$work/plan-drift"; fail "plan --detailed-exitcode with a target missing exited $rc, want 2"; }
grep -q "; 1 target to register, 0 to deregister$" "$work/plan-drift" ||
  { cat "$work/plan-drift"; fail "the summary line does not count the target to register"; }
echo "ok: a target missing from the balancer is a change (exit 2, counted in the summary)"
st apply --auto-approve --settle 1 >"$work/apply3" 2>&1 || { cat "$work/apply3"; fail "apply 3"; }
[ "$(hap_servers | grep -c '^web\.')" -eq 1 ] || fail "drift not healed: $(hap_servers)"
echo "ok: a target deleted by hand is back after apply, over ssh"

# 5. A server that refuses socket forwarding: the balancer is unreachable, and
# the error says why (the engine behind it is reached through dial-stdio).
write_cluster "ssh://root@127.0.0.1:$STOWAGE_SSH_PORT_2$STOWAGE_HAPROXY_SOCKET" 2
status=$(st status --json)  # exits 1: a balancer is unreachable
jq -e --arg e "HAProxy Runtime API ssh://root@127.0.0.1:$STOWAGE_SSH_PORT_2$STOWAGE_HAPROXY_SOCKET: ssh forward to $STOWAGE_HAPROXY_SOCKET on $(ssh_endpoint 2): the server refuses unix socket forwarding (sshd_config: AllowStreamLocalForwarding), which a runtimeApi over ssh:// needs" \
  '.targetGroups[0].reachable == false and .targetGroups[0].error == $e and .hosts[0].reachable' \
  <<<"$status" >/dev/null || fail "status with forwarding refused: $(jq -c '.targetGroups, .hosts[0].reachable' <<<"$status")"
text=$(NO_COLOR=1 st plan 2>&1) || fail "plan with forwarding refused: $text"
grep -qF "the balancer's pool could not be read (HAProxy Runtime API ssh://root@127.0.0.1:$STOWAGE_SSH_PORT_2" <<<"$text" ||
  fail "plan with forwarding refused: $text"
echo "ok: a server refusing socket forwarding: the balancer is unreachable, and the error says why"
# ... and a path where no socket is, on a server that forwards: said so.
write_cluster "$ssh1/tmp/no-such-haproxy.sock"
status=$(st status --json)
jq -e --arg e "HAProxy Runtime API $ssh1/tmp/no-such-haproxy.sock: ssh forward to /tmp/no-such-haproxy.sock on $(ssh_endpoint 1): no unix socket at /tmp/no-such-haproxy.sock on the host" \
  '.targetGroups[0].reachable == false and .targetGroups[0].error == $e' <<<"$status" >/dev/null ||
  fail "status with no socket: $(jq -c .targetGroups <<<"$status")"
echo "ok: a runtimeApi path with no socket on the host: said so"
