#!/usr/bin/env bash
# Training throughput with batches assembled on the training thread against
# batches assembled ahead by loader threads (--loader-threads), at 2 and 1
# intra-op threads: teacher-stage epochs of vgg-small on Fashion-MNIST (no
# augmentation, the default) and on a CIFAR-shaped synthetic set (3 x 32 x
# 32, crop and flip, CIFAR's default; written by
# test/Training/Inputs/make-cifar.py: real CIFAR cannot be downloaded here).
# Each configuration runs REPEATS times, each run EPOCHS epochs of EPOCH_SIZE
# images; the table gives the median images/s (log.csv) and the ratio to
# the first row of the same data set, measured in the same run of the script.
# Then what one loader thread assembles per second (qnn-bench-batch-assembly),
# the most the loader can take off a training step.
# Usage: training/bench-loader.sh [BUILD_DIR] [OUT_DIR]
# Environment: REPEATS (3), EPOCHS (2), EPOCH_SIZE (4096), BATCH (128).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-$build/bench-loader}
repeats=${REPEATS:-3} epochs=${EPOCHS:-2} epoch_size=${EPOCH_SIZE:-4096}
batch=${BATCH:-128}

mkdir -p "$out"
cifar=$out/cifar-10-batches-bin
[ -f "$cifar/test_batch.bin" ] ||
  python3 "$root/test/Training/Inputs/make-cifar.py" "$cifar" 10 $(((epoch_size + 999) / 5 + 1))
datasets=("fashion-mnist /usr/share/datasets/fashion-mnist" "cifar-synthetic $cifar")
# name, intra-op threads, loader threads
configs=("2-threads-no-loader 2 0" "2-threads-1-loader 2 1" "2-threads-2-loaders 2 2"
         "1-thread-no-loader 1 0" "1-thread-1-loader 1 1")

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A rate
for ((r = 0; r < repeats; ++r)); do
  for dataset in "${datasets[@]}"; do
    read -r data dir <<<"$dataset"
    for config in "${configs[@]}"; do
      read -r name threads loaders <<<"$config"
      run=$out/$data-$name-$r
      rm -rf "$run"
      "$build/bin/qnn-train" --data "$dir" --out "$run" --threads "$threads" \
        --loader-threads "$loaders" --batch-size "$batch" \
        --epoch-size "$epoch_size" --validation-size 1000 --test-limit 100 \
        --teacher-epochs "$epochs" --stop-after-epochs "$epochs" --quiet >/dev/null 2>&1
      # images_per_s is the last column of log.csv; skip the header.
      rate[$data/$name]+="$(tail -n +2 "$run/log.csv" | awk -F, '{ print $NF }') "
    done
  done
done

printf '%-16s %-20s %8s %8s %10s %7s\n' data config threads loaders "images/s" ratio
for dataset in "${datasets[@]}"; do
  read -r data dir <<<"$dataset"
  base=""
  for config in "${configs[@]}"; do
    read -r name threads loaders <<<"$config"
    m=$(tr ' ' '\n' <<<"${rate[$data/$name]}" | grep . | median)
    base=${base:-$m}
    printf '%-16s %-20s %8s %8s %10.0f %7.2f\n' "$data" "$name" "$threads" \
      "$loaders" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN { print a / b }')"
  done
done
echo "($(nproc) cores; medians of $repeats runs x $epochs epochs of $epoch_size images, batch $batch)"
echo
"$build/bin/qnn-bench-batch-assembly"
