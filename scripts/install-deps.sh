#!/usr/bin/env bash
# Installs every Debian package that qnn-mlir's build, tests and main job need.
# Idempotent: packages already present are skipped, and `apt-get update` runs at
# most once per invocation (and only when something is missing).
set -euo pipefail

# Compiler toolchain: clang/lld of the same LLVM release as the MLIR we build
# against (see README, "Why clang-22").
TOOLCHAIN=(cmake ninja-build ccache clang-22 lld-22 llvm-22-dev llvm-22-tools
           libmlir-22-dev mlir-22-tools libgtest-dev)
# Cross and bare-metal targets of the lowering tests.
TARGETS=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user gcc-arm-none-eabi
         libnewlib-arm-none-eabi qemu-system-arm)
# Training module.
TRAINING=(libtorch-dev zlib1g-dev)
# Distributed training: the Gloo headers that LibTorch's c10d
# ProcessGroupGloo.hpp includes.
TRAINING+=(libgloo-dev)
# Image-folder datasets: JPEG and PNG decoders.
TRAINING+=(libjpeg62-turbo-dev libpng-dev)
# ONNX frontend: the ONNX protobuf classes, protoc for the textproto test
# models, ONNX's conformance data, and libFuzzer (scripts/fuzz-frontend.sh).
FRONTEND=(libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
          libclang-rt-22-dev)
DATA=(dataset-fashion-mnist)
# Baselines: Node runs ONNX Runtime (npm onnxruntime-node, scripts/ort-install.sh).
# Debian's nodejs and npm only where node or npm is missing: a machine whose
# nodejs comes from elsewhere (NodeSource bundles npm) cannot install
# Debian's npm beside it.
BASELINES=()
command -v node >/dev/null || BASELINES+=(nodejs)
command -v npm >/dev/null || BASELINES+=(npm)
# bench/kernels.sh: oneDNN's int8 convolutions (bench/dnnl-baseline.cpp).
BASELINES+=(libdnnl-dev)

PACKAGES=("${TOOLCHAIN[@]}" "${TARGETS[@]}" "${TRAINING[@]}" "${FRONTEND[@]}"
          "${DATA[@]}" "${BASELINES[@]}")

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
