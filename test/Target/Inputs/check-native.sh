#!/usr/bin/env bash
# Bit-exactness check of compiled code against the reference interpreter:
# compiles MODEL.mlir with qnn-translate for TARGET, links the object with
# run-model.c, runs it on SEEDS random inputs and requires its output to be
# byte-identical to qnn-run's for each. When an output differs, it dumps
# every layer of both on that input (qnn-run --dump-dir; a debug object from
# qnn-opt --qnn-expose-layers, run by dump-layers.c) and prints qnn-diff's
# report, which names the first layer that differs (docs/tools.md).
#
# Usage: check-native.sh [--layers] [--compile OTHER.mlir] MODEL.mlir WORKDIR
#                        SEEDS [TARGET [CPU]]
#   --layers   also compare every layer on the first input when the outputs
#              agree, and print qnn-diff's "identical: N layers"
#   --compile  compile OTHER.mlir instead of MODEL.mlir, which the
#              interpreter still runs (how a test plants a broken rule)
#   TARGET  x86_64-linux-gnu (default, runs natively), aarch64-linux-gnu
#           (aarch64-linux-gnu-gcc -static, run under qemu-aarch64 -cpu max,
#           which has the dot-product instructions), or
#           thumbv7m-none-eabi (arm-none-eabi-gcc + newlib semihosting, run
#           bare-metal on QEMU's mps2-an385 Cortex-M3 board, 60 s limit)
set -euo pipefail
layers=false compiled=
while [[ ${1:-} == --* ]]; do
  case $1 in
    --layers) layers=true; shift ;;
    --compile) compiled=$2; shift 2 ;;
    *) echo "check-native: unknown option $1" >&2; exit 2 ;;
  esac
done
model=$1 work=$2 seeds=$3 target=${4:-x86_64-linux-gnu} cpu=${5:-}
compiled=${compiled:-$model}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"

startup=()
case $target in
  x86_64-linux-gnu) cc=(clang) ;;
  aarch64-linux-gnu) cc=(aarch64-linux-gnu-gcc -static) ;;
  thumbv7m-none-eabi)
    cc=(arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -nostartfiles
        --specs=rdimon.specs -Wl,--no-warn-execstack
        -T "$here/cortex-m/mps2-an385.ld")
    startup=("$here/cortex-m/startup.c") ;;
  *) echo "check-native: no runner for target $target" >&2; exit 2 ;;
esac

# build DIR MODULE DRIVER.c: DIR/model.h, DIR/model.o and DIR/run, the
# driver linked with the module's object.
build() {
  qnn-translate --emit-header "$2" -o "$1/model.h"
  qnn-translate --emit-obj --target="$target" ${cpu:+--target-cpu="$cpu"} \
    "$2" -o "$1/model.o"
  "${cc[@]}" -O2 -std=c11 -I"$1" "${startup[@]}" "$3" "$1/model.o" \
    -o "$1/run"
}

# run_in DIR ARGS...: runs DIR/run with ARGS in DIR. The bare-metal
# program takes no arguments: its fixed file names are relative to QEMU's
# working directory.
run_in() {
  local dir=$1; shift
  case $target in
    x86_64-linux-gnu) (cd "$dir" && ./run "$@") ;;
    aarch64-linux-gnu) (cd "$dir" && qemu-aarch64 -cpu max ./run "$@") ;;
    thumbv7m-none-eabi)
      (cd "$dir" && timeout 60 qemu-system-arm -M mps2-an385 -nographic \
         -semihosting-config enable=on,target=native -kernel ./run) ;;
  esac
}

# compare_layers: dumps every layer of the interpreter (A) and of the
# compiled code (B) on $work/in.raw into $work/layers/{interpreter,compiled}
# and prints qnn-diff's report; returns its status.
compare_layers() {
  local dir=$work/layers
  rm -rf "$dir" && mkdir -p "$dir/compiled"
  qnn-run "$model" --input "$work/in.raw" --dump-dir "$dir/interpreter"
  qnn-opt --qnn-expose-layers "$compiled" -o "$dir/layers.mlir"
  build "$dir" "$dir/layers.mlir" "$here/dump-layers.c"
  cp "$work/in.raw" "$dir/in0.raw"
  # dump-layers' bare-metal names: in0.raw, and layers/ for the dump.
  if [[ $target == thumbv7m-none-eabi ]]; then
    mkdir -p "$dir/layers" && run_in "$dir" && mv "$dir/layers"/* "$dir/compiled"
  else
    run_in "$dir" compiled in0.raw
  fi
  qnn-diff "$dir/interpreter" "$dir/compiled"
}

build "$work" "$compiled" "$here/run-model.c"
for seed in $(seq 1 "$seeds"); do
  qnn-run "$model" --random-inputs "$seed" --save-inputs "$work/in.raw" \
    --output "$work/expected.raw"
  run_in "$work" in.raw actual.raw
  if ! cmp -s "$work/expected.raw" "$work/actual.raw"; then
    echo "check-native: $model, seed $seed: $target output differs from the" \
         "interpreter at byte $(cmp "$work/expected.raw" "$work/actual.raw" |
                                 awk '{print $5 + 0}')" >&2
    echo "check-native: every layer, A = interpreter, B = $target" \
         "(dumps in $work/layers):" >&2
    status=0
    compare_layers >&2 || status=$?
    if [[ $status == 0 ]]; then
      echo "check-native: the debug object agrees on every layer: the" \
           "release object's memory plan (in-place outputs, shared scratch)" \
           "is where they part" >&2
    fi
    exit 1
  fi
  if [[ $seed == 1 && $layers == true ]] && ! compare_layers; then
    echo "check-native: $model, seed 1: the outputs agree but a layer" \
         "differs (dumps in $work/layers)" >&2
    exit 1
  fi
done
echo "check-native: $(basename "$model"): $seeds random inputs bit-identical on $target${cpu:+ ($cpu)}"
