#!/usr/bin/env bash
# One golden test: runs `stowage validate [ARGS] NAME` inside DIR and compares
# its standard output, followed by a line "exit N", byte for byte with
# DIR/NAME/expected.txt (or FILE when given). Prints a unified diff on failure.
#   run_golden.sh STOWAGE DIR NAME [EXPECTED_FILE] [-- EXTRA_ARGS...]
# With STOWAGE_GOLDEN_UPDATE=1 the expected file is rewritten instead (review
# the diff before committing it).
set -uo pipefail
stowage=$1 dir=$2 name=$3
expected=${4:-$dir/$name/expected.txt}
shift $(( $# >= 4 ? 4 : 3 ))
[ "${1:-}" = -- ] && shift
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
(
  cd "$dir" || exit 99
  NO_COLOR=1 "$stowage" validate "$@" "$name"
  echo "exit $?"
) >"$actual" 2>/dev/null
if [ "${STOWAGE_GOLDEN_UPDATE:-0}" = 1 ]; then
  cp "$actual" "$expected"
  echo "golden: wrote $expected"
  exit 0
fi
if ! diff -u --label "expected ($expected)" --label "actual (stowage validate $name)" \
    "$expected" "$actual"; then
  echo "golden: output of 'stowage validate $name' in $dir differs (see diff above)" >&2
  exit 1
fi
