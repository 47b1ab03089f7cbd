#!/usr/bin/env bash
# Figures of the compiled example models (examples/make-example.sh), in one
# run on this machine: object and read-only data sizes, scratch arena,
# x86-64 latency per image (median of REPEAT runs) of the code for each CPU
# level, as ratios against the baseline x86-64 code of the same run (the
# ONNX Runtime / LibTorch comparison is bench work of issue 8), each checked
# bit-identical to the interpreter; and the exact number of
# instructions of one inference on the Cortex-M3 (QEMU, one trace line per
# executed instruction; see count-instructions.c).
# Usage: bench/lowering.sh [BUILD_DIR] [REPEAT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build}/bin
repeat=${2:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
harness=$root/test/Target/Inputs
m3=(arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -O2 -std=c11 -nostartfiles
    --specs=rdimon.specs -Wl,--no-warn-execstack -T "$harness/cortex-m/mps2-an385.ld")

median_ns() { "$@" | awk '/^median/ { print $2 }'; }

# Instructions of one inference: trace count with RUNS=2 minus RUNS=1.
cortex_m3_instructions() {
  local dir=$1 counts=()
  for runs in 1 2; do
    "${m3[@]}" -I"$dir" -DRUNS=$runs "$harness/cortex-m/startup.c" \
      "$root/bench/count-instructions.c" "$dir/m3.o" -o "$dir/count$runs.elf"
    counts+=("$(timeout 600 qemu-system-arm -M mps2-an385 -nographic \
      -semihosting-config enable=on,target=native -singlestep \
      -d exec,nochain -D /dev/stdout -kernel "$dir/count$runs.elf" |
      grep -c '^Trace')")
  done
  echo $(( counts[1] - counts[0] ))
}

printf '| model | object x86-64 (bytes) | read-only data (bytes) | scratch (bytes) | x86-64 baseline (us/image) | avx2 (us) | avx512-vnni (us) | avx2 speed-up | vnni speed-up | Cortex-M3 instructions/inference |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for model in lenet resnet; do
  dir=$work/$model
  mkdir -p "$dir"
  "$root/examples/make-example.sh" "$model" 1 1 > "$dir/model.mlir"
  "$bin/qnn-translate" --emit-header "$dir/model.mlir" -o "$dir/model.h"
  "$bin/qnn-run" "$dir/model.mlir" --random-inputs 1 --save-inputs "$dir/in.raw" \
    --output "$dir/expected.raw"
  declare -A ns=()
  for cpu in baseline avx2 avx512-vnni; do
    "$bin/qnn-translate" --emit-obj --target-cpu=$cpu "$dir/model.mlir" -o "$dir/$cpu.o"
    clang -O2 -std=c11 -I"$dir" "$harness/run-model.c" "$dir/$cpu.o" -o "$dir/run-$cpu"
    ns[$cpu]=$(median_ns "$dir/run-$cpu" "$dir/in.raw" "$dir/actual.raw" "$repeat")
    cmp -s "$dir/expected.raw" "$dir/actual.raw" ||
      { echo "lowering.sh: $model ($cpu) differs from the interpreter" >&2; exit 1; }
  done
  "$bin/qnn-translate" --emit-obj --target=thumbv7m-none-eabi "$dir/model.mlir" -o "$dir/m3.o"
  sizes=$(size -A "$dir/baseline.o" |
          awk '$1 ~ /^\.text/ { t += $2 } $1 ~ /^\.rodata/ { r += $2 } END { print t + r, r }')
  scratch=$(awk '/^#define [A-Z0-9_]*_SCRATCH_BYTES/ { print $3 }' "$dir/model.h")
  awk -v m="$model" -v sizes="$sizes" -v scratch="$scratch" -v b="${ns[baseline]}" \
      -v a="${ns[avx2]}" -v v="${ns[avx512-vnni]}" -v i="$(cortex_m3_instructions "$dir")" \
      'BEGIN { split(sizes, s, " ");
               printf "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.2fx | %.2fx | %d |\n",
                      m, s[1], s[2], scratch, b / 1000, a / 1000, v / 1000, b / a, b / v, i }'
done
