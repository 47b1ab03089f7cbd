#!/usr/bin/env bash
# The README's main-job command: sets up the machine (Debian packages),
# builds qnn-mlir in Release, then runs scripts/pipeline.sh: trains the FP-BN
# teacher and the BN-free W4A4 student on Fashion-MNIST by progressive
# tandem learning, exports it to ONNX and imports it with the python-free
# frontend, compiles it to integer-only native code, links it into a plain C
# program, classifies the whole test set, checks bit-exactness (every logit,
# and every layer of one image) and float-freedom, runs it on a bare-metal
# Cortex-M3 under QEMU, measures ONNX Runtime and LibTorch baselines, and
# writes out/report.md.
#
# Usage: scripts/main-job.sh [--quick] [--resume] [--out DIR] [--model NAME]
#                            [--bits WxAy]
# (options as scripts/pipeline.sh). Interrupted runs resume from their
# training checkpoint when started again with the same --out.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build

step() { printf '\n== %s\n' "$*"; }
step "install dependencies (scripts/install-deps.sh)"
"$root/scripts/install-deps.sh"
step "configure and build in Release (clang-22 + lld)"
"$root/scripts/configure.sh" "$build" >/dev/null
cmake --build "$build"
exec "$root/scripts/pipeline.sh" --build "$build" "$@"
