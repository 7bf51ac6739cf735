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
# With STOWAGE_TEST_TIMEOUT (the test's ctest TIMEOUT, in seconds) the command
# and its children get SIGTERM 15 s before ctest would kill them (ctest kills
# with SIGKILL, which no trap sees), then SIGKILL 12 s later: a script's EXIT
# trap (tests/harness/lib.sh, exit_on_signals) stops what it started.
if [ "${STOWAGE_TEST_TIMEOUT:-0}" -gt 30 ]; then
  exec timeout --kill-after=12 $((STOWAGE_TEST_TIMEOUT - 15)) "$@"
fi
exec "$@"
