#!/usr/bin/env bash
# The comparison table of issue 6 on Fashion-MNIST (vgg-small, default
# settings, full test set, integer-simulation accuracy for every quantized
# network). The first configuration trains the FP-BN teacher; every other
# one takes it with --teacher-from (the same teacher it would train itself
# from the same seed, so the students are the same bit for bit; the seconds
# column of those excludes the teacher). Runs are resumable: rerunning the
# script continues unfinished ones and reuses finished ones.
# Usage: training/benchmark.sh [BUILD_DIR] [OUT_ROOT] [extra qnn-train args...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-train}
out=${2:-$root/build-train/benchmark}
shift 2 || shift $# || true
train="$build/bin/qnn-train"

teacher_run=ptl-W4A4
configs=(
  "ptl-W4A4      --method ptl --bits W4A4"
  "ptl-W8A8      --method ptl --bits W8A8"
  "ptl-W2A2      --method ptl --bits W2A2"
  "ptl-W4A4-e8   --method ptl --layer-bits W8A4,W4A4,W4A4,W4A4,W8A8"
  "direct-W4A4   --method direct --bits W4A4"
  "direct-W2A2   --method direct --bits W2A2"
  "qat-W4A4      --method qat --bits W4A4"
  "qat-W2A2      --method qat --bits W2A2"
  "shiftbn-W4A4  --method ptl --bits W4A4 --pow2-scales"
)

for config in "${configs[@]}"; do
  read -r name args <<<"$config"
  teacher=()
  [ "$name" = "$teacher_run" ] || teacher=(--teacher-from "$out/$teacher_run")
  if [ ! -f "$out/$name/summary.txt" ]; then
    # shellcheck disable=SC2086
    "$train" --out "$out/$name" --resume --quiet "${teacher[@]}" $args "$@"
  fi
done

value() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
printf '%-14s %10s %14s %10s %9s\n' config teacher bnfold+ptq student seconds
for config in "${configs[@]}"; do
  read -r name _ <<<"$config"
  s="$out/$name/summary.txt"
  printf '%-14s %10s %14s %10s %9s\n' "$name" \
    "$(value teacher_fp_bn_test_accuracy "$s")" \
    "$(value bnfold_ptq_integer_test_accuracy "$s")" \
    "$(value student_integer_test_accuracy "$s")" \
    "$(value seconds_this_process "$s")"
done
