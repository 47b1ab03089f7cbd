#!/usr/bin/env bash
# Starts N data-parallel qnn-train ranks on this machine, as torchrun's
# --standalone mode would: each gets RANK, WORLD_SIZE, MASTER_ADDR and
# MASTER_PORT; rank 0 serves the TCPStore rendezvous and writes --out.
# Rank 0 prints to the terminal, rank i > 0 to LOG_DIR/rank<i>.log. When one
# rank fails the others are stopped and the script exits with its status;
# rerun with --resume to continue from the last checkpoint.
#
# Usage: scripts/train-distributed.sh N [qnn-train options...]
#   e.g. scripts/train-distributed.sh 2 --threads 1 --out run2
# Environment: QNN_TRAIN (default build/bin/qnn-train), MASTER_ADDR
# (default 127.0.0.1), MASTER_PORT (default 29500), LOG_DIR (default .).
# Several machines: see training/README.md, "Distributed training".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 1 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 N [qnn-train options...]" >&2
  exit 2
fi
ranks=$1
shift
train=${QNN_TRAIN:-$root/build/bin/qnn-train}
logs=${LOG_DIR:-.}
[ -x "$train" ] || { echo "$0: $train is not built (set QNN_TRAIN)" >&2; exit 2; }
mkdir -p "$logs"

export WORLD_SIZE=$ranks MASTER_ADDR=${MASTER_ADDR:-127.0.0.1}
export MASTER_PORT=${MASTER_PORT:-29500}
pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap 'stop_all; exit 130' INT TERM

for ((rank = 0; rank < ranks; ++rank)); do
  if [ "$rank" -eq 0 ]; then
    RANK=0 "$train" "$@" &
  else
    RANK=$rank "$train" "$@" >"$logs/rank$rank.log" 2>&1 &
  fi
  pids+=($!)
done

# The first rank to fail decides the status; the rest are stopped.
status=0
for ((left = ranks; left > 0; --left)); do
  wait -n || { status=$?; stop_all; break; }
done
wait || true
exit "$status"
