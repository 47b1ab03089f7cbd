#!/usr/bin/env bash
# ONNX conformance data through compiled code: for each data set that
# `qnn-onnx-test --save-dir SAVED` wrote, compiles its integerized
# model.mlir with qnn-translate for TARGET, links the object with
# run-data-set.c, runs it on the data set's inputs and requires every output
# to be byte-identical to the data set's expected output (ONNX's, not the
# interpreter's).
#
# Usage: check-compiled.sh SAVED [TARGET]
#   TARGET  x86_64-linux-gnu (default, runs natively) or aarch64-linux-gnu
#           (aarch64-linux-gnu-gcc -static, run under qemu-aarch64), as in
#           test/Target/Inputs/check-native.sh
set -euo pipefail
saved=$1 target=${2:-x86_64-linux-gnu}
here=$(cd "$(dirname "$0")" && pwd)
model_io=$here/../../../Target/Inputs # model-io.h, the raw file helpers

case $target in
  x86_64-linux-gnu) cc=(clang) emulator=() ;;
  aarch64-linux-gnu) cc=(aarch64-linux-gnu-gcc -static) emulator=(qemu-aarch64) ;;
  *) echo "check-compiled: no runner for target $target" >&2; exit 2 ;;
esac

shopt -s nullglob
sets=("$saved"/test_data_set_*/)
if (( ${#sets[@]} == 0 )); then
  echo "check-compiled: no test_data_set_* in $saved" >&2
  exit 1
fi
for dir in "${sets[@]}"; do
  dir=${dir%/}
  set=$(basename "$dir") work=$dir/$target
  rm -rf "$work" && mkdir -p "$work"
  qnn-translate --emit-header "$dir/model.mlir" -o "$work/model.h"
  qnn-translate --emit-obj --target="$target" "$dir/model.mlir" \
    -o "$work/model.o"
  "${cc[@]}" -O2 -std=c11 -I"$work" -I"$model_io" "$here/run-data-set.c" \
    "$work/model.o" -o "$work/run"
  for input in "$dir"/input*.raw; do cp "$input" "$work"; done
  (cd "$work" && "${emulator[@]}" ./run)
  expected=("$dir"/expected*.raw) outputs=("$work"/output*.raw)
  if [[ ${#expected[@]} != "${#outputs[@]}" ]]; then
    echo "check-compiled: $set: ${#outputs[@]} outputs for" \
         "${#expected[@]} expected ones" >&2
    exit 1
  fi
  for want in "${expected[@]}"; do
    got=$work/output${want##*/expected}
    if ! cmp -s "$want" "$got"; then
      echo "check-compiled: $set: $(basename "$got") on $target differs from" \
           "the expected output at byte $(cmp "$want" "$got" |
                                         awk '{print $5 + 0}')" >&2
      exit 1
    fi
  done
  echo "check-compiled: $set: ${#expected[@]} output(s) identical to the" \
       "expected ones on $target"
done
