#!/usr/bin/env bash
# The main job, from a clean clone on Debian 12: installs dependencies, builds
# stowage and runs it on examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
build/stowage validate examples
