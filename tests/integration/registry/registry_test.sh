#!/usr/bin/env bash
# A private registry (Debian's docker-registry on loopback, htpasswd auth) and
# an image that exists only there, deployed on the three shared engines with
# credentials from Docker's config: `auths`, a credential helper (credsStore,
# a script speaking the docker-credential protocol), and refused with wrong
# credentials while every old task keeps running (counted with the docker CLI).
# Then --pull never / always, and a moved tag shown by `status`.
STOWAGE_IT_NAME=registry
source "$(dirname "$0")/../apply/lib.sh"
source "$(dirname "$0")/lib.sh" private

write_cluster "h1|$(engine 1)||" "h2|$(engine 2)||" "h3|$(engine 3)||"
revision_count() {  # tasks of service p running at a revision other than $1's old ones
  tasks_of p | awk '$4 == "running"' | awk '{print $3}' | sort | uniq -c
}

# 1. auths: base64 user:password.
export DOCKER_CONFIG=$work/auths
mkdir -p "$DOCKER_CONFIG"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$STOWAGE_REGISTRY" \
  "$(printf 'stowage:s3cret-pw' | base64)" >"$DOCKER_CONFIG/config.json"
private 1
apply_src >"$work/a1" 2>&1 || { cat "$work/a1"; fail "apply with credentials from auths"; }
[ "$(running_total p)" -eq 3 ] || fail "auths: $(running_total p) tasks of p run, want 3"
echo "ok: an image only in the private registry deployed with credentials from auths"

# 2. A credential helper (credsStore) speaking the protocol: server on stdin, JSON out.
mkdir -p "$work/bin"
cat >"$work/bin/docker-credential-stowtest" <<'SH'
#!/bin/sh
[ "$1" = get ] || exit 2
read -r server
echo "$server" >>"$HELPER_LOG"
printf '{"ServerURL":"%s","Username":"stowage","Secret":"%s"}\n' "$server" "$HELPER_SECRET"
SH
chmod +x "$work/bin/docker-credential-stowtest"
export PATH=$work/bin:$PATH HELPER_LOG=$work/helper.log HELPER_SECRET=s3cret-pw
export DOCKER_CONFIG=$work/helper
mkdir -p "$DOCKER_CONFIG"
printf '{"auths": {}, "credsStore": "stowtest"}\n' >"$DOCKER_CONFIG/config.json"
unpull
private 2
apply_src >"$work/a2" 2>&1 || { cat "$work/a2"; fail "apply with credentials from a helper"; }
[ "$(running_total p)" -eq 3 ] || fail "helper: $(running_total p) tasks of p run, want 3"
grep -qx "$STOWAGE_REGISTRY" "$work/helper.log" || fail "the helper was not asked for $STOWAGE_REGISTRY"
rev2=$(tasks_of p | awk '$4 == "running" {print $3}' | sort -u)
[ "$(echo "$rev2" | wc -l)" -eq 1 ] || fail "more than one revision runs: $rev2"
echo "ok: deployed with credentials from a credential helper (asked for $STOWAGE_REGISTRY)"

# 3. Wrong credentials: the deployment fails, every old task still runs.
export HELPER_SECRET=wrong
unpull
private 3
apply_src >"$work/a3" 2>&1
rc=$?
cat "$work/a3"
[ $rc -ne 0 ] || fail "apply with wrong credentials exited 0"
[ "$(running_total p)" -eq 3 ] || fail "wrong credentials: $(running_total p) tasks of p run, want the 3 old ones"
old=$(tasks_of p | awk '$4 == "running" {print $3}' | sort -u)
[ "$old" = "$rev2" ] || fail "the running tasks are not the old revision: $old"
grep -qi "unauthorized\|authentication required\|no basic auth" "$work/a3" || fail "the failure does not say the registry refused"
echo "ok: wrong credentials refused, the 3 old tasks still run (docker CLI)"

# 4. --pull never with the image absent: refused, old tasks untouched.
export HELPER_SECRET=s3cret-pw
apply_src --pull never >"$work/a4" 2>&1 && fail "apply --pull never with a missing image exited 0"
grep -q "is not on the host, and --pull is never" "$work/a4" || { cat "$work/a4"; fail "--pull never did not say why"; }
[ "$(running_total p)" -eq 3 ] || fail "--pull never: $(running_total p) tasks of p run, want 3"
echo "ok: --pull never refuses an image the host lacks"

# 5. A moved tag: the same name now holds another image; --pull always takes it,
#    and status shows the tasks on two different image IDs.
apply_src >"$work/a5" 2>&1 || { cat "$work/a5"; fail "apply revision 3"; }
export DOCKER_CONFIG=$work/push
docker -H "$e1" rm -f moved-tag >/dev/null 2>&1
docker -H "$e1" run --name moved-tag stowage/busybox:1 sh -c 'echo moved >/moved' >/dev/null
docker -H "$e1" commit moved-tag "$image" >/dev/null
docker -H "$e1" rm -f moved-tag >/dev/null
docker -H "$e1" push "$image" >/dev/null || fail "push of the moved tag"
export DOCKER_CONFIG=$work/helper
private 3 4
apply_src --pull always >"$work/a6" 2>&1 || { cat "$work/a6"; fail "apply --pull always"; }
[ "$(running_total p)" -eq 4 ] || fail "--pull always: $(running_total p) tasks of p run, want 4"
"$STOWAGE_BINARY" status "$src" --json >"$work/status.json" || fail "status"
python3 - "$work/status.json" <<'PY' || fail "status does not show the moved tag"
import json, sys
s = json.load(open(sys.argv[1]))
ids = [i for h in s["hosts"] for t in h["tasks"] if t["service"] == "p" for i in t["imageIds"]]
assert len(ids) == 4 and all(i.startswith("sha256:") for i in ids), ids
assert len(set(ids)) == 2, ids  # three tasks on the old image, one on the moved tag
print("image IDs:", sorted(set(ids)))
PY
"$STOWAGE_BINARY" status "$src" | grep -q "p/.*sha256:" || fail "status text shows no image ID"
echo "ok: --pull always took the moved tag; status shows two image IDs for one revision"
