#!/usr/bin/env bash
# The whole test suite, from a clean clone on Debian 12 (as root for the
# real-engine tests): installs dependencies, builds with warnings as errors,
# runs unit, golden and real-dockerd integration tests, then the engine-free
# suites (unit, golden) under AddressSanitizer + UndefinedBehaviorSanitizer, then a short fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
jobs=$(nproc)

echo "== release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSTOWAGE_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure)

if [ "${STOWAGE_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSTOWAGE_WERROR=ON \
        -DSTOWAGE_SANITIZE=address,undefined >/dev/null
  cmake --build build-asan -j"$jobs"
  # The real-engine tests ran above against the release build; under the
  # sanitizers we run the unit and golden suites (no engines), which cover the core.
  (cd build-asan && LSAN_OPTIONS="suppressions=$PWD/../tests/lsan.supp" \
       ctest --output-on-failure -LE docker)
fi

if command -v clang++ >/dev/null && [ "${STOWAGE_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzzing the loader briefly"
  CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DSTOWAGE_FUZZ=ON >/dev/null
  cmake --build build-fuzz -j"$jobs" --target fuzz_loader
  mkdir -p build-fuzz/corpus
  build-fuzz/tests/fuzz/fuzz_loader -max_total_time="${STOWAGE_FUZZ_SECONDS:-30}" \
      -max_len=4096 build-fuzz/corpus tests/fuzz/seeds
fi
echo "stowage: all tests passed"
