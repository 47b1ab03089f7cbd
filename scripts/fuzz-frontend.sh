#!/usr/bin/env bash
# Fuzzes the ONNX importer (python-free-frontend) with libFuzzer for a fixed
# time budget: configures a separate ASan + libFuzzer build directory, builds
# only the fuzz target, seeds the corpus with the lit test models and ONNX's
# quantized node tests, and runs. Exits non-zero if the fuzzer finds a crash,
# a leak, a timeout or an out-of-memory input; the input is saved under
# BUILD_DIR/fuzz-artifacts/.
# Usage: scripts/fuzz-frontend.sh [SECONDS] [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
budget=${1:-300}
build=${2:-$root/build-fuzz}

"$root/scripts/configure.sh" "$build" -DQNN_ENABLE_FRONTEND_FUZZER=ON >/dev/null
cmake --build "$build" --target onnx-import-fuzzer

# Seeds: every textproto model section of the lit tests, encoded, and the
# conformance models.
seeds=$build/fuzz-seeds
rm -rf "$seeds" && mkdir -p "$seeds/split"
for test in "$root"/test/Frontend/ONNX/*.test; do
  dir=$seeds/split/$(basename "$test" .test)
  /usr/lib/llvm-22/bin/split-file "$test" "$dir"
  for model in "$dir"/*.textproto; do
    [ -e "$model" ] || continue
    protoc -I/usr/include /usr/include/onnx/onnx.proto \
      --encode=onnx.ModelProto <"$model" \
      >"$seeds/$(basename "$dir")-$(basename "$model" .textproto).onnx" \
      2>/dev/null || true # some sections are TensorProtos
  done
done
for test in /usr/share/libonnx-testdata/data/node/test_*{quant,integer,qlinear,conv,pool,gemm,matmul,relu,clip,concat,reshape,flatten,pad}*; do
  [ -e "$test/model.onnx" ] && cp "$test/model.onnx" "$seeds/$(basename "$test").onnx"
done
rm -rf "$seeds/split"

corpus=$build/fuzz-corpus
artifacts=$build/fuzz-artifacts/
mkdir -p "$corpus" "$artifacts"
"$build/bin/onnx-import-fuzzer" "$corpus" "$seeds" \
  -max_total_time="$budget" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
  -artifact_prefix="$artifacts" -print_final_stats=1
