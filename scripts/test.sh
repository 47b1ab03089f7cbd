#!/usr/bin/env bash
# The README's test command: installs dependencies, configures and builds
# qnn-mlir (Release, clang-22 + lld), and runs the whole test suite with ctest
# (lit regression tests, unit tests, end-to-end tests).
# Usage: scripts/test.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}

"$root/scripts/install-deps.sh"
"$root/scripts/configure.sh" "$build"
start=$(date +%s)
cmake --build "$build"
echo "test.sh: build took $(( $(date +%s) - start )) s"
start=$(date +%s)
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
echo "test.sh: tests took $(( $(date +%s) - start )) s"
