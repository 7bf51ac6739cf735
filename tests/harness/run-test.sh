#!/usr/bin/env bash
# Runs one real-engine test command (used by the CTest fixtures in
# tests/integration/CMakeLists.txt):  run-test.sh COMMAND [ARGS...]
# Without root the engines cannot be started: the test is reported as skipped
# (exit 77, the tests' SKIP_RETURN_CODE) with the reason, never as passed.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIPPED: real-engine tests need root to start dockerd (run ctest -L docker as root)" >&2
  exit 77
fi
exec "$@"
