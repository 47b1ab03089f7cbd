#!/usr/bin/env bash
# Cross-checks the ONNX frontend against ONNX Runtime: installs the npm
# package onnxruntime-node (with --ignore-scripts: its CPU library ships in
# the package; scripts/ort-install.sh) under BUILD_DIR/onnxruntime, builds
# qnn-onnx-test, and runs
# python-free-frontend/ort-crosscheck/crosscheck.js, which prints per pattern
# how many of ONNX Runtime's output elements qnn reproduces and by how much
# the others differ. Exits non-zero on any difference larger than one step.
# Usage: scripts/ort-crosscheck.sh [MODELS_PER_PATTERN] [SEED] [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
per_pattern=${1:-20}
seed=${2:-1}
build=${3:-$root/build}
work=$build/ort-crosscheck

node_path=$("$root/scripts/ort-install.sh" "$build/onnxruntime")
cmake --build "$build" --target qnn-onnx-test
NODE_PATH=$node_path node "$root/python-free-frontend/ort-crosscheck/crosscheck.js" \
  "$work/models" "$build/bin/qnn-onnx-test" "$per_pattern" "$seed"
