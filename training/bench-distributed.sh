#!/usr/bin/env bash
# Training throughput of one process against two data-parallel ranks on this
# machine (loopback Gloo): teacher-stage epochs of vgg-small on Fashion-MNIST
# at the same global batch. Each configuration runs REPEATS times, each run
# EPOCHS epochs of EPOCH_SIZE images; the table gives the median images/s
# (rank 0's log.csv: all ranks' images over its epoch time) and the ratio to
# the first row, measured in the same run of the script.
# Usage: training/bench-distributed.sh [BUILD_DIR] [OUT_DIR]
# Environment: REPEATS (3), EPOCHS (2), EPOCH_SIZE (8192), BATCH (128, global).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-$build/bench-distributed}
repeats=${REPEATS:-3} epochs=${EPOCHS:-2} epoch_size=${EPOCH_SIZE:-8192}
batch=${BATCH:-128}
export QNN_TRAIN=$build/bin/qnn-train LOG_DIR=$out

# name, ranks, threads per rank
configs=("1-rank-2-threads 1 2" "2-ranks-1-thread 2 1" "1-rank-1-thread 1 1")

run() { # ranks threads dir
  local ranks=$1 threads=$2 dir=$3
  rm -rf "$dir"
  MASTER_PORT=$((29500 + RANDOM % 1000)) "$root/scripts/train-distributed.sh" \
    "$ranks" --out "$dir" --threads "$threads" --batch-size $((batch / ranks)) \
    --train-limit "$epoch_size" --epoch-size "$epoch_size" \
    --teacher-epochs "$epochs" --stop-after-epochs "$epochs" --quiet >/dev/null 2>&1
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A rate
for ((r = 0; r < repeats; ++r)); do
  for config in "${configs[@]}"; do
    read -r name ranks threads <<<"$config"
    run "$ranks" "$threads" "$out/$name-$r"
    # images_per_s is the last column of log.csv; skip the header.
    rate[$name]+="$(tail -n +2 "$out/$name-$r/log.csv" | awk -F, '{ print $NF }') "
  done
done

printf '%-18s %6s %8s %12s %7s\n' config ranks threads "images/s" ratio
base=""
for config in "${configs[@]}"; do
  read -r name ranks threads <<<"$config"
  m=$(tr ' ' '\n' <<<"${rate[$name]}" | grep . | median)
  base=${base:-$m}
  printf '%-18s %6s %8s %12.0f %7.2f\n' "$name" "$ranks" "$threads" "$m" \
    "$(awk -v a="$m" -v b="$base" 'BEGIN { print a / b }')"
done
echo "($(nproc) cores; medians of $repeats runs x $epochs epochs of $epoch_size images, global batch $batch)"
