#!/usr/bin/env bash
# Bit-exactness check of compiled code against the reference interpreter:
# compiles MODEL.mlir with qnn-translate for TARGET, links the object with
# run-model.c, runs it on SEEDS random inputs and requires its output to be
# byte-identical to qnn-run's for each.
#
# Usage: check-native.sh MODEL.mlir WORKDIR SEEDS [TARGET [X86_CPU]]
#   TARGET  x86_64-linux-gnu (default, runs natively), aarch64-linux-gnu
#           (aarch64-linux-gnu-gcc -static, run under qemu-aarch64), or
#           thumbv7m-none-eabi (arm-none-eabi-gcc + newlib semihosting, run
#           bare-metal on QEMU's mps2-an385 Cortex-M3 board, 60 s limit)
set -euo pipefail
model=$1 work=$2 seeds=$3 target=${4:-x86_64-linux-gnu} cpu=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"

qnn-translate --emit-header "$model" -o "$work/model.h"
qnn-translate --emit-obj --target="$target" ${cpu:+--target-cpu="$cpu"} \
  "$model" -o "$work/model.o"
startup=()
case $target in
  x86_64-linux-gnu) cc=(clang) run=(./run in.raw actual.raw) ;;
  aarch64-linux-gnu)
    cc=(aarch64-linux-gnu-gcc -static)
    run=(qemu-aarch64 ./run in.raw actual.raw) ;;
  thumbv7m-none-eabi)
    cc=(arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -nostartfiles
        --specs=rdimon.specs -Wl,--no-warn-execstack
        -T "$here/cortex-m/mps2-an385.ld")
    startup=("$here/cortex-m/startup.c")
    # The bare-metal program reads in.raw and writes actual.raw (fixed
    # names) through semihosting, relative to QEMU's working directory.
    run=(timeout 60 qemu-system-arm -M mps2-an385 -nographic
         -semihosting-config enable=on,target=native -kernel ./run) ;;
  *) echo "check-native: no runner for target $target" >&2; exit 2 ;;
esac
"${cc[@]}" -O2 -std=c11 -I"$work" "${startup[@]}" "$here/run-model.c" \
  "$work/model.o" -o "$work/run"

for seed in $(seq 1 "$seeds"); do
  qnn-run "$model" --random-inputs "$seed" --save-inputs "$work/in.raw" \
    --output "$work/expected.raw"
  (cd "$work" && "${run[@]}")
  if ! cmp -s "$work/expected.raw" "$work/actual.raw"; then
    echo "check-native: $model, seed $seed: $target output differs from the" \
         "interpreter at byte $(cmp "$work/expected.raw" "$work/actual.raw" |
                                 awk '{print $5}')" >&2
    exit 1
  fi
done
echo "check-native: $(basename "$model"): $seeds random inputs bit-identical on $target${cpu:+ ($cpu)}"
