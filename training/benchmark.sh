#!/usr/bin/env bash
# The comparison table of issue 6 on Fashion-MNIST (vgg-small, default
# settings, full test set, integer-simulation accuracy for every quantized
# network). Each configuration is one qnn-train run (teacher included; the
# same seed gives the same teacher). Runs are resumable: rerunning the script
# continues unfinished ones and reuses finished ones.
# Usage: training/benchmark.sh [BUILD_DIR] [OUT_ROOT] [extra qnn-train args...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-train}
out=${2:-$root/build-train/benchmark}
shift 2 || shift $# || true
train="$build/bin/qnn-train"

configs=(
  "ptl-W8A8      --method ptl --bits W8A8"
  "ptl-W4A4      --method ptl --bits W4A4"
  "ptl-W2A2      --method ptl --bits W2A2"
  "direct-W4A4   --method direct --bits W4A4"
  "direct-W2A2   --method direct --bits W2A2"
  "shiftbn-W4A4  --method ptl --bits W4A4 --pow2-scales"
)

for config in "${configs[@]}"; do
  read -r name args <<<"$config"
  if [ ! -f "$out/$name/summary.txt" ]; then
    # shellcheck disable=SC2086
    "$train" --out "$out/$name" --resume --quiet $args "$@"
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
