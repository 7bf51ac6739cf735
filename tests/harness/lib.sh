# Shared by the real-engine test scripts and benchmarks (sourced, not run).
#   exit_on_signals      TERM and INT end the script through `exit`, so its EXIT
#                        trap (the cleanup of engines, balancers, containers)
#                        runs also when ctest's timeout (tests/harness/run-test.sh)
#                        or an operator stops it
#   web_httpd_td PAGE [CMD]   prints task definition `web`: one busybox httpd
#                        on container port 8080 serving PAGE (memory 32 MiB,
#                        stopTimeout 2 s; CMD replaces its command), then `---`
#   hap CMD              one HAProxy Runtime API command over its loopback tcp
#                        socket ($STOWAGE_HAPROXY_TCP, tests/harness/haproxy.sh)
#   hap_servers          the servers of HAProxy backend `web`, sorted

exit_on_signals() {
  trap 'exit 143' TERM
  trap 'exit 130' INT
}

web_httpd_td() {
  local cmd=${2:-"mkdir -p /www && echo $1 > /www/index.html && exec httpd -f -p 8080 -h /www"}
  cat <<YAML
family: web
containerDefinitions:
  - name: web
    image: stowage/busybox:1
    memory: 32
    command: ["sh", "-c", "$cmd"]
    portMappings: [{containerPort: 8080}]
    stopTimeout: 2
---
YAML
}

hap() {
  local fd
  exec {fd}<>"/dev/tcp/${STOWAGE_HAPROXY_TCP%:*}/${STOWAGE_HAPROXY_TCP#*:}" || return 1
  printf '%s\n' "$1" >&"$fd"
  cat <&"$fd"
  exec {fd}>&-
}

hap_servers() { hap "show servers state web" | awk 'NF > 10 && $1 !~ /^#/ {print $4}' | sort; }
