#!/usr/bin/env bash
# Installs ONNX Runtime for Node (npm onnxruntime-node, with --ignore-scripts:
# its CPU library ships inside the package, nothing is downloaded at run
# time) under DIR/node_modules once, and prints DIR/node_modules for
# NODE_PATH. Used by the main job's ONNX Runtime baseline and by
# scripts/ort-crosscheck.sh.
# Usage: scripts/ort-install.sh DIR
set -euo pipefail
dir=$1
version=1.30.0
mkdir -p "$dir"
if [ ! -f "$dir/node_modules/onnxruntime-node/package.json" ] ||
   ! grep -q "\"version\": \"$version\"" "$dir/node_modules/onnxruntime-node/package.json"; then
  (cd "$dir" && npm install --no-save --no-audit --no-fund --ignore-scripts \
    "onnxruntime-node@$version" >&2)
fi
echo "$dir/node_modules"
