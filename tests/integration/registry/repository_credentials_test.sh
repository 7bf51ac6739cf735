#!/usr/bin/env bash
# ECS repositoryCredentials against a real registry (Debian's docker-registry,
# htpasswd auth): an image that exists only there is deployed on the three
# shared engines with credentials from --secrets-dir (Docker's config holds
# none), named by a Secrets Manager ARN; the password appears in no output;
# wrong credentials are refused with every old task still running (counted
# with the docker CLI).
STOWAGE_IT_NAME=regcreds
source "$(dirname "$0")/../apply/lib.sh"
source "$(dirname "$0")/lib.sh" ecs-private

# Docker's config holds nothing: the credentials come from the secrets only.
export DOCKER_CONFIG=$work/empty
mkdir -p "$DOCKER_CONFIG" "$work/secrets/reg"
echo '{}' >"$DOCKER_CONFIG/config.json"
printf '{"username": "stowage", "password": "s3cret-pw"}\n' >"$work/secrets/reg/ci"
write_cluster "h1|$(engine 1)||" "h2|$(engine 2)||" "h3|$(engine 3)||"
private_extra='    repositoryCredentials:
      credentialsParameter: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:reg/ci-AbCdEf"'

# 1. Without providers the parameter does not resolve: an error at its line.
private 1
apply_src >"$work/a0" 2>&1 && fail "apply without providers exited 0"
grep -qF "p.yaml:7:29: error: repositoryCredentials of container app: credentialsParameter \"arn:aws:secretsmanager:eu-west-1:111122223333:secret:reg/ci-AbCdEf\": no secret provider: give --secrets-dir DIR or --secrets-env PREFIX" "$work/a0" ||
  { cat "$work/a0"; fail "no error at the credentialsParameter"; }
[ "$(running_total p)" -eq 0 ] || fail "tasks started without credentials"
echo "ok: without providers, an error at the credentialsParameter"

# 2. With --secrets-dir: deployed; the password is in no output.
"$STOWAGE_BINARY" plan "$src" --secrets-dir "$work/secrets" --json >"$work/plan.json" || fail "plan"
apply_src --secrets-dir "$work/secrets" >"$work/a1" 2>&1 || { cat "$work/a1"; fail "apply with repositoryCredentials"; }
[ "$(running_total p)" -eq 3 ] || fail "$(running_total p) tasks of p run, want 3"
! grep -q "s3cret-pw" "$work/plan.json" "$work/a1" || fail "the password was printed"
rev1=$(tasks_of p | awk '$4 == "running" {print $3}' | sort -u)
echo "ok: an image only in the registry deployed with repositoryCredentials from --secrets-dir"

# 3. A rotation (same credentials, another form) rolls nothing.
printf 'stowage:s3cret-pw\n' >"$work/secrets/reg/ci"
"$STOWAGE_BINARY" plan "$src" --secrets-dir "$work/secrets" --detailed-exitcode >"$work/plan2" 2>&1
rc=$?
[ $rc -eq 0 ] || { cat "$work/plan2"; fail "a rotated credential changed the plan (exit $rc)"; }
echo "ok: a rotated credential plans no change"

# 4. Wrong credentials: refused, the three old tasks still run.
printf 'stowage:wr0ng-pw\n' >"$work/secrets/reg/ci"
unpull
private 2
apply_src --secrets-dir "$work/secrets" >"$work/a2" 2>&1 && { cat "$work/a2"; fail "apply with wrong credentials exited 0"; }
[ "$(running_total p)" -eq 3 ] || fail "wrong credentials: $(running_total p) tasks of p run, want the 3 old ones"
old=$(tasks_of p | awk '$4 == "running" {print $3}' | sort -u)
[ "$old" = "$rev1" ] || fail "the running tasks are not the old revision: $old"
grep -qi "unauthorized\|authentication required\|no basic auth" "$work/a2" || { cat "$work/a2"; fail "the failure does not say the registry refused"; }
! grep -q "wr0ng-pw" "$work/a2" || fail "the password was printed"
echo "ok: wrong credentials refused, the 3 old tasks still run (docker CLI)"

# 5. A malformed value: an error naming the parameter, never the value.
printf 'wr0ng-pw\n' >"$work/secrets/reg/ci"
apply_src --secrets-dir "$work/secrets" >"$work/a3" 2>&1 && fail "apply with a malformed value exited 0"
grep -q 'the value is not {"username": …, "password": …} nor user:password' "$work/a3" ||
  { cat "$work/a3"; fail "no error for the malformed value"; }
! grep -q "wr0ng-pw" "$work/a3" || fail "the malformed value was printed"
echo "ok: a malformed value is an error that does not show it"
