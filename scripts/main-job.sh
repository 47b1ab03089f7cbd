#!/usr/bin/env bash
# The README's main-job command. Sets up the machine, builds qnn-mlir in
# Release and runs the part of the pipeline that exists today:
#   1. generate the LeNet-class integer example model (examples/make-example.sh),
#   2. parse and verify it with qnn-opt (round trip through the printer),
#   3. execute it on the reference interpreter for a batch of inputs,
#   4. report what ran, the logits' argmax per input, and the time taken.
# Training -> export -> import -> compile -> link (issues 6, 7) extend this
# script as they land.
# Usage: scripts/main-job.sh [OUT_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/out}
build=$root/build
bin=$build/bin
batch=16

step() { printf '\n== %s\n' "$*"; }
die() { printf 'main-job: step "%s" failed: %s\n' "$current" "$*" >&2; exit 1; }
run_step() { current=$1; shift; step "$current"; "$@" || die "exit status $?"; }

run_step "install dependencies" "$root/scripts/install-deps.sh"
run_step "configure (Release, clang-22 + lld)" "$root/scripts/configure.sh" "$build" >/dev/null
run_step "build" cmake --build "$build"
mkdir -p "$out"

model=$out/lenet-int4.mlir
run_step "generate the LeNet-class example (batch $batch)" \
  bash -c "'$root/examples/make-example.sh' lenet 1 $batch > '$model'"
echo "wrote $model ($(wc -c < "$model") bytes)"

run_step "parse, verify and round-trip with qnn-opt" \
  bash -c "'$bin/qnn-opt' '$model' | '$bin/qnn-opt' -o '$out/lenet-roundtrip.mlir'"
echo "verified; round trip written to $out/lenet-roundtrip.mlir"

current="interpret on the reference interpreter"; step "$current"
start=$(date +%s%N)
"$bin/qnn-run" "$model" --random-inputs 2024 --output "$out/logits.npy" --print \
  > "$out/logits.txt" || die "qnn-run failed"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "ran $batch random 28x28 ui8 images through 5 integer layers in ${elapsed_ms} ms"
echo "logits: $out/logits.npy (int32 .npy), $out/logits.txt"
echo "argmax per image:"
tail -n +2 "$out/logits.txt" | tr -d '[],' | awk '{
  best = 1; for (i = 2; i <= NF; i++) if ($i > $best) best = i
  printf "%d ", best - 1 } END { print "" }'

step "summary"
cat <<SUMMARY
The integer-only LeNet-class model (4-bit weights, 4-bit activations, i32
accumulators, per-channel multiplier/shift rescales) parsed, verified and ran
on the reference interpreter, the golden model. Weights are random: the classes are
not meaningful. Training, compilation to native code and the accuracy/speed
report arrive with issues 6 and 7.
SUMMARY
