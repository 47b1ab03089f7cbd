#!/usr/bin/env bash
# The fast-kernel benchmark of issue 8, in one run, one thread: for each
# model (LeNet class at batch 1, the VGG-small Fashion-MNIST topology of
# `qnn-train --model vgg-small`, an AlexNet-size and a ResNet-18-size model at
# 224x224, random weights; bench/make-model.sh) our compiled code at the
# avx512-vnni level at W8A8 and W4A4 (median latency, compile time, weight
# bytes), ONNX Runtime on the QDQ int8 model of the same topology
# (bench/ort-baseline.js, npm onnxruntime-node via scripts/ort-install.sh),
# LibTorch FP32 on the same topology (bench/torch-baseline.cpp); then
# for every distinct convolution our fused conv+rescale at W8A8, oneDNN's u8
# x s8 int8 convolution (bench/dnnl-baseline.cpp), and the fraction of the
# VNNI peak each reaches: MACs / time / peak, the peak being 128 MACs per
# cycle at the clock bench/peak.c measures (or its measured vpdpbusd rate if
# higher). The small models' outputs are checked bit-identical to the
# interpreter. docs/lowering.md ("Benchmark") says what each column is.
#
# The AlexNet-size model keeps the five convolutions at full size but its
# classifier is one 9216 -> 1000 layer instead of three (61M -> 12M weights).
# Usage: bench/kernels.sh [BUILD_DIR] [SECONDS_PER_MEASUREMENT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build}/bin
budget=${2:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
harness=$root/test/Target/Inputs

export NODE_PATH
NODE_PATH=$("$root/scripts/ort-install.sh" "${1:-$root/build}/ort")
clang -O2 -mavx512f -mavx512vnni "$root/bench/peak.c" -o "$work/peak"
clang++ -O2 -std=c++17 -I"$root/bench" -I/usr/include/torch/csrc/api/include \
  "$root/bench/torch-baseline.cpp" -o "$work/torch-baseline" -ltorch -ltorch_cpu -lc10
clang++ -O2 -std=c++17 -I"$root/bench" "$root/bench/dnnl-baseline.cpp" \
  -o "$work/dnnl-baseline" -ldnnl
"$work/peak" > "$work/peak.txt"
ghz=$(awk '/clock_ghz/ { print $2 }' "$work/peak.txt")
gmacs=$(awk '/vnni_gmacs/ { print $2 }' "$work/peak.txt")
peak=$(awk -v g="$ghz" -v m="$gmacs" 'BEGIN { p = 128 * g; print (m > p ? m : p) }')

models=(
  "lenet|1 28 28|conv 6 5 1 2; pool 2 2; conv 16 5 1 0; pool 2 2; fc 120; fc 84; fc 10"
  "vgg-small|1 28 28|conv 16 3 1 1; conv 16 3 1 1; pool 2 2; conv 32 3 1 1; conv 32 3 1 1; pool 2 2; fc 10"
  "alexnet-size|3 224 224|conv 64 11 4 2; pool 3 2; conv 192 5 1 2; pool 3 2; conv 384 3 1 1; conv 256 3 1 1; conv 256 3 1 1; pool 3 2; fc 1000"
  "resnet18-size|3 224 224|conv 64 7 2 3; pool 3 2; block 64 1; block 64 1; block 128 2; block 128 1; block 256 2; block 256 1; block 512 2; block 512 1; gap; fc 1000"
)

# median_ns PROGRAM ARGS...: the median of as many runs as fit the budget.
median_ns() {
  local once repeat
  once=$("$@" 3 | awk '/^median/ { print $2 }')
  repeat=$(awk -v t="$once" -v b="$budget" 'BEGIN { r = int(b * 1e9 / (t + 1)); print r < 5 ? 5 : (r > 5000 ? 5000 : r) }')
  "$@" "$repeat" | awk '/^median/ { print $2 }'
}

# compile DIR MODEL [CPU]: DIR/run (avx512-vnni unless CPU says otherwise),
# and the compile seconds.
compile() {
  local start end
  "$bin/qnn-translate" --emit-header "$2" -o "$1/model.h"
  start=$(date +%s.%N)
  "$bin/qnn-translate" --emit-obj --target-cpu="${3:-avx512-vnni}" "$2" -o "$1/model.o"
  end=$(date +%s.%N)
  clang -O2 -std=c11 -I"$1" "$harness/run-model.c" "$1/model.o" -o "$1/run"
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

echo "clock $ghz GHz and vpdpbusd rate $gmacs GMAC/s (measured, bench/peak.c); peak = max(128 MACs/cycle x clock, measured rate) = $peak GMAC/s; one thread"
echo
echo "| model | conv MACs | W8A8 (us) | W4A4 (us) | W4A4 / W8A8 speed | ONNX Runtime int8 (us) | W8A8 vs ORT | LibTorch FP32 (us) | W8A8 vs LibTorch | compile W8A8 (s) | weights W8A8 / W4A4 (bytes) | checked |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
layers_table=()
for entry in "${models[@]}"; do
  IFS='|' read -r name input layers <<<"$entry"
  declare -A ns=() secs=() bytes=()
  checked=no
  for bits in 8 4; do
    dir=$work/$name-$bits
    mkdir -p "$dir"
    "$root/bench/make-model.sh" $bits "$input" "$layers" > "$dir/model.mlir"
    secs[$bits]=$(compile "$dir" "$dir/model.mlir")
    bytes[$bits]=$(size -A "$dir/model.o" | awk '$1 ~ /^\.rodata/ { r += $2 } END { print r }')
    if [[ $name == lenet || $name == vgg-small ]]; then
      "$bin/qnn-run" "$dir/model.mlir" --random-inputs 1 --save-inputs "$dir/in.raw" \
        --output "$dir/expected.raw"
      checked=yes
    else
      head -c "$(awk '/_INPUT0_BYTES/ { print $3 }' "$dir/model.h")" /dev/urandom > "$dir/in.raw"
    fi
    ns[$bits]=$(median_ns "$dir/run" "$dir/in.raw" "$dir/actual.raw")
    if [[ $checked == yes ]] && ! cmp -s "$dir/expected.raw" "$dir/actual.raw"; then
      echo "kernels.sh: $name W$bits A$bits differs from the interpreter" >&2; exit 1
    fi
  done
  torch=$(median_ns "$work/torch-baseline" "$input" "$layers")
  mkdir -p "$work/ort-$name"
  ort=$(median_ns node "$root/bench/ort-baseline.js" "$input" "$layers" "$work/ort-$name")
  macs=$("$work/dnnl-baseline" "$input" "$layers" 0 | awk '{ s += $9 } END { print s }')
  awk -v m="$name" -v macs="$macs" -v a="${ns[8]}" -v b="${ns[4]}" -v t="$torch" \
      -v o="$ort" -v c="${secs[8]}" -v w8="${bytes[8]}" -v w4="${bytes[4]}" -v k="$checked" \
      'BEGIN { printf "| %s | %d | %.1f | %.1f | %.2fx | %.1f | %.2fx | %.1f | %.1fx | %s | %d / %d | %s |\n",
               m, macs, a / 1000, b / 1000, a / b, o / 1000, o / a, t / 1000, t / a, c, w8, w4, k }'
  layers_table+=("$name|$input|$layers")
done

echo
echo "Per convolution (W8A8, fused bias + rescale + ReLU, input packing included; oneDNN: NHWC, reorders excluded):"
echo
echo "| model | conv | shape (C>O, HxW, k/s/p) | MACs | ours (us) | ours % of peak | oneDNN int8 (us) | oneDNN % of peak | ours vs oneDNN |"
echo "|---|---|---|---|---|---|---|---|---|"
declare -A seen=()
for entry in "${layers_table[@]}"; do
  IFS='|' read -r name input layers <<<"$entry"
  "$work/dnnl-baseline" "$input" "$layers" 0 > "$work/convs.txt"
  while read -r index c h w out k s p macs _ _; do
    key="$c $h $w $out $k $s $p"
    [[ -n ${seen[$key]:-} ]] && continue
    seen[$key]=1
    dir=$work/conv-$name-$index
    mkdir -p "$dir"
    "$root/bench/make-model.sh" 8 "$c $h $w" "conv $out $k $s $p" > "$dir/model.mlir"
    compile "$dir" "$dir/model.mlir" > /dev/null
    head -c $((c * h * w)) /dev/urandom > "$dir/in.raw"
    ours=$(median_ns "$dir/run" "$dir/in.raw" "$dir/out.raw")
    read -r dnnl impl < <("$work/dnnl-baseline" "$c $h $w" "conv $out $k $s $p" \
        "$(awk -v m="$macs" -v b="$budget" 'BEGIN { r = int(b * 2e11 / (m + 1)); print r < 5 ? 5 : (r > 5000 ? 5000 : r) }')" |
      awk '{ print $10, $11 }')
    awk -v m="$name" -v i="$index" -v shape="$c>$out, ${h}x$w, $k/$s/$p" -v macs="$macs" \
        -v o="$ours" -v d="$dnnl" -v impl="$impl" -v peak="$peak" \
      'BEGIN { printf "| %s | %d | %s | %d | %.1f | %.0f%% | %.1f (%s) | %.0f%% | %.2fx |\n",
               m, i, shape, macs, o / 1000, 100 * macs / o / peak, d / 1000, impl,
               100 * macs / d / peak, d / o }'
  done < "$work/convs.txt"
done

echo
echo "Depthwise convolutions (W8A8, fused rescale + ReLU, MobileNet-like shapes): our x86-64 depthwise kernel (avx512-vnni level) against the same model on the loops (--target-cpu=baseline); outputs compared:"
echo
echo "| shape (C, HxW, k/s/p) | MACs | ours (us) | loops (us) | ours vs loops | ours % of peak | same output |"
echo "|---|---|---|---|---|---|---|"
for shape in "32 112 112|3 1 1" "64 112 112|3 2 1" "128 56 56|3 1 1" "256 28 28|3 2 1" "512 14 14|3 1 1"; do
  IFS='|' read -r input conv <<<"$shape"
  read -r c h w <<<"$input"
  read -r k s p <<<"$conv"
  macs=$(( c * ((h + 2 * p - k) / s + 1) * ((w + 2 * p - k) / s + 1) * k * k ))
  declare -A dw=()
  head -c $((c * h * w)) /dev/urandom > "$work/dw-$c-$h-$s.raw"
  for cpu in avx512-vnni baseline; do
    dir=$work/dw-$c-$h-$s-$cpu
    mkdir -p "$dir"
    "$root/bench/make-model.sh" 8 "$input" "dwconv $conv" > "$dir/model.mlir"
    compile "$dir" "$dir/model.mlir" "$cpu" > /dev/null
    dw[$cpu]=$(median_ns "$dir/run" "$work/dw-$c-$h-$s.raw" "$dir/out.raw")
  done
  same=$(cmp -s "$work/dw-$c-$h-$s-avx512-vnni/out.raw" "$work/dw-$c-$h-$s-baseline/out.raw" && echo yes || echo NO)
  awk -v shape="$c, ${h}x$w, $k/$s/$p" -v macs="$macs" -v o="${dw[avx512-vnni]}" -v l="${dw[baseline]}" \
      -v peak="$peak" -v same="$same" \
    'BEGIN { printf "| %s | %d | %.1f | %.1f | %.1fx | %.0f%% | %s |\n",
             shape, macs, o / 1000, l / 1000, l / o, 100 * macs / o / peak, same }'
done
