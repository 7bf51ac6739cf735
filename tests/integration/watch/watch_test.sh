#!/usr/bin/env bash
# stowage watch against a bare repository and the harness's three engines:
# commit (new image) -> converged; invalid commit -> nothing changes, error in log, /status
# and /metrics; next valid commit applies; remote gone then back -> recovers;
# SIGTERM -> 0. (Events and the webhook: watch_events_test.sh; a failed
# deployment: watch_rollback_test.sh.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

make_repo
write_web v1
commit v1
start_watch --interval 1s --resync 5s
wait_for 90 "v1 converged" running 3 v1
rev1=$(git rev-parse HEAD)
wait_for 10 "status shows v1" sh -c "curl -sf localhost:$port/status | grep -q '\"revision_applied\": \"$rev1\"'"
curl -sf "localhost:$port/healthz" | grep -qx ok || fail "/healthz"

# A change of image (and command) converges with the new revision.
tag_alt_image
WEB_IMAGE=$alt_image write_web v2 && commit v2
wait_for 90 "v2 converged" running 3 v2
rev2=$(git rev-parse HEAD)
wait_for 60 "status shows v2" sh -c "curl -sf localhost:$port/status | grep -q '\"revision_applied\": \"$rev2\"'"
[ "$(images | uniq -c | awk '{ print $1, $2 }')" = "3 $alt_image" ] || fail "v2 not on $alt_image: $(images)"

# An invalid commit: nothing changes; the error is in the log, /status, /metrics.
echo "desiredCount: three" >>web.yaml && commit broken
bad=$(git rev-parse HEAD)
wait_for 20 "invalid commit reported" sh -c "curl -sf localhost:$port/metrics | grep -qx 'stowage_revision_failed 1'"
curl -sf "localhost:$port/status" | grep -q "\"$bad\": \"web.yaml:" || fail "/status error"
grep -q "revision ${bad:0:12} is invalid, skipped" "$work/watch.log" || fail "log error"
running 3 v2 || fail "invalid commit changed the fleet"
[ "$(images | uniq -c | awk '{ print $1, $2 }')" = "3 $alt_image" ] || fail "invalid commit changed images"

write_web v3 && commit v3
wait_for 90 "v3 converged" running 3 v3

# The remote goes away, then comes back.
mv "$work/remote.git" "$work/remote.away"
wait_for 20 "fetch error counted" sh -c "curl -sf localhost:$port/metrics | grep -q '^stowage_source_fetch_errors_total [1-9]'"
mv "$work/remote.away" "$work/remote.git"
write_web v4 && commit v4
wait_for 120 "v4 converged after the remote came back" running 3 v4

stop_watch
echo "watch integration test passed"
