#!/usr/bin/env bash
# bench/runtime: DockerRuntime vs the docker CLI on three fresh engines.
#   bench/runtime/run.sh [BUILD_DIR] [N]      (as root; default build, 200)
# Starts three engines with tests/harness/engines.sh, runs runtime_bench on them
# (create+start then stop+remove of N containers each way) and stops them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
n=${2:-200}
root=/tmp/stw-bench-$$
trap '"$here/../../tests/harness/engines.sh" stop "$root"' EXIT
"$here/../../tests/harness/engines.sh" start 3 "$root" 2>/dev/null
. "$root/engines.env"
"$build/bench/runtime_bench" "$STOWAGE_TEST_ENGINES" "$STOWAGE_TEST_IMAGE" "$n"
