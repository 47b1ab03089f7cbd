#!/usr/bin/env bash
# Writes an integer-only qnn example model with deterministic pseudo-random
# weights (a 32-bit LCG, seed given) to stdout, as `func.func @main`.
#
# lenet: LeNet-5 class, W4A4
#   ui8 28x28 image -> conv 5x5 (6, pad 2) -> rescale/ReLU ui4 -> max pool 2
#   -> conv 5x5 (16) -> rescale/ReLU ui4 -> max pool 2 -> flatten 400
#   -> matmul 120 -> rescale/ReLU ui4 -> matmul 84 -> rescale/ReLU ui4
#   -> matmul 10 -> i32 logits
# resnet: a small ResNet class, W8A8, one residual block
#   ui8 28x28 image -> conv 3x3 s2 (8) -> rescale/ReLU ui8 = s
#   -> conv 3x3 (8) -> rescale/ReLU ui8 -> conv 3x3 (8) -> rescale i8
#   -> add(s, .) with integer multipliers -> rescale/ReLU ui8
#   -> global average pool (sum + rescale by 1/196) -> flatten 8
#   -> matmul 10 -> i32 logits
#
# Signed weights in the symmetric range [-q, q] (zero mean, as a symmetric
# quantizer gives; a negative mean would drive every deep accumulator below
# zero and the ReLUs would silence the network), i32 biases, per-channel
# multipliers, shifts sized so that each layer maps its typical accumulator
# spread onto its output range. The weights are random, so the logits are
# meaningless; the models exercise every layer kind at its real size.
# Usage: make-example.sh lenet|resnet [SEED] [BATCH]
set -euo pipefail
model=${1:?usage: make-example.sh lenet|resnet [SEED] [BATCH]}
seed=${2:-1}
batch=${3:-1}
case $model in
  lenet|resnet) ;;
  *) echo "make-example.sh: unknown model '$model' (lenet, resnet)" >&2; exit 2 ;;
esac
awk -v model="$model" -v seed="$seed" -v batch="$batch" '
function rnd() { state = (state * 1103515245 + 12345) % 2147483648; return state }
function uniform(lo, hi) { return lo + rnd() % (hi - lo + 1) }
# A dense literal of n values in [lo, hi] with the given shape (row-major).
function dense(shape, lo, hi,    dims, nd, n, i, d, s, out, stride) {
  nd = split(shape, dims, "x"); n = 1
  for (d = 1; d <= nd; d++) n *= dims[d]
  out = ""
  for (i = 0; i < n; i++) {
    s = ""
    stride = 1
    for (d = nd; d >= 1; d--) { stride *= dims[d]; if (i % stride == 0) s = s "[" }
    out = out s uniform(lo, hi)
    s = ""
    stride = 1
    for (d = nd; d >= 1; d--) { stride *= dims[d]; if ((i + 1) % stride == 0) s = s "]" }
    out = out s (i + 1 < n ? ", " : "")
  }
  return "dense<" out ">"
}
function array(n, lo, hi,    i, out) {
  out = ""
  for (i = 0; i < n; i++) out = out (i ? ", " : "") uniform(lo, hi)
  return "array<i32: " out ">"
}
function lenet(B) {
  print "func.func @main(%image: tensor<" B "x1x28x28xui8>) -> tensor<" B "x10xi32> {"
  print "  %w1 = qnn.constant " dense("6x1x5x5", -7, 7) " : tensor<6x1x5x5xi4>"
  print "  %b1 = qnn.constant " dense("6", -2000, 2000) " : tensor<6xi32>"
  print "  %c1 = qnn.conv2d %image, %w1, %b1 {padding = array<i64: 2, 2, 2, 2>} : (tensor<" B "x1x28x28xui8>, tensor<6x1x5x5xi4>, tensor<6xi32>) -> tensor<" B "x6x28x28xi32>"
  print "  %r1 = qnn.rescale %c1 {multiplier = " array(6, 16384, 32767) ", shift = " array(6, 22, 22) ", clamp_min = 0} : tensor<" B "x6x28x28xi32> -> tensor<" B "x6x28x28xui4>"
  print "  %p1 = qnn.max_pool2d %r1 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<" B "x6x28x28xui4> -> tensor<" B "x6x14x14xui4>"
  print "  %w2 = qnn.constant " dense("16x6x5x5", -7, 7) " : tensor<16x6x5x5xi4>"
  print "  %b2 = qnn.constant " dense("16", -200, 200) " : tensor<16xi32>"
  print "  %c2 = qnn.conv2d %p1, %w2, %b2 : (tensor<" B "x6x14x14xui4>, tensor<16x6x5x5xi4>, tensor<16xi32>) -> tensor<" B "x16x10x10xi32>"
  print "  %r2 = qnn.rescale %c2 {multiplier = " array(16, 16384, 32767) ", shift = " array(16, 19, 19) ", clamp_min = 0} : tensor<" B "x16x10x10xi32> -> tensor<" B "x16x10x10xui4>"
  print "  %p2 = qnn.max_pool2d %r2 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<" B "x16x10x10xui4> -> tensor<" B "x16x5x5xui4>"
  print "  %f = qnn.reshape %p2 : tensor<" B "x16x5x5xui4> -> tensor<" B "x400xui4>"
  print "  %w3 = qnn.constant " dense("400x120", -7, 7) " : tensor<400x120xi4>"
  print "  %b3 = qnn.constant " dense("120", -200, 200) " : tensor<120xi32>"
  print "  %m3 = qnn.matmul %f, %w3, %b3 : (tensor<" B "x400xui4>, tensor<400x120xi4>, tensor<120xi32>) -> tensor<" B "x120xi32>"
  print "  %r3 = qnn.rescale %m3 {axis = 1, multiplier = " array(120, 16384, 32767) ", shift = " array(120, 20, 20) ", clamp_min = 0} : tensor<" B "x120xi32> -> tensor<" B "x120xui4>"
  print "  %w4 = qnn.constant " dense("120x84", -7, 7) " : tensor<120x84xi4>"
  print "  %b4 = qnn.constant " dense("84", -100, 100) " : tensor<84xi32>"
  print "  %m4 = qnn.matmul %r3, %w4, %b4 : (tensor<" B "x120xui4>, tensor<120x84xi4>, tensor<84xi32>) -> tensor<" B "x84xi32>"
  print "  %r4 = qnn.rescale %m4 {axis = 1, multiplier = " array(84, 16384, 32767) ", shift = " array(84, 19, 19) ", clamp_min = 0} : tensor<" B "x84xi32> -> tensor<" B "x84xui4>"
  print "  %w5 = qnn.constant " dense("84x10", -7, 7) " : tensor<84x10xi4>"
  print "  %b5 = qnn.constant " dense("10", -100, 100) " : tensor<10xi32>"
  print "  %logits = qnn.matmul %r4, %w5, %b5 : (tensor<" B "x84xui4>, tensor<84x10xi4>, tensor<10xi32>) -> tensor<" B "x10xi32>"
  print "  return %logits : tensor<" B "x10xi32>"
  print "}"
}
function resnet(B) {
  print "func.func @main(%image: tensor<" B "x1x28x28xui8>) -> tensor<" B "x10xi32> {"
  print "  %w1 = qnn.constant " dense("8x1x3x3", -127, 127) " : tensor<8x1x3x3xi8>"
  print "  %b1 = qnn.constant " dense("8", -5000, 5000) " : tensor<8xi32>"
  print "  %c1 = qnn.conv2d %image, %w1, %b1 {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<" B "x1x28x28xui8>, tensor<8x1x3x3xi8>, tensor<8xi32>) -> tensor<" B "x8x14x14xi32>"
  print "  %s = qnn.rescale %c1 {multiplier = " array(8, 16384, 32767) ", shift = " array(8, 22, 22) ", clamp_min = 0} : tensor<" B "x8x14x14xi32> -> tensor<" B "x8x14x14xui8>"
  print "  %w2 = qnn.constant " dense("8x8x3x3", -127, 127) " : tensor<8x8x3x3xi8>"
  print "  %b2 = qnn.constant " dense("8", -5000, 5000) " : tensor<8xi32>"
  print "  %c2 = qnn.conv2d %s, %w2, %b2 {padding = array<i64: 1, 1, 1, 1>} : (tensor<" B "x8x14x14xui8>, tensor<8x8x3x3xi8>, tensor<8xi32>) -> tensor<" B "x8x14x14xi32>"
  print "  %r2 = qnn.rescale %c2 {multiplier = " array(8, 16384, 32767) ", shift = " array(8, 24, 24) ", clamp_min = 0} : tensor<" B "x8x14x14xi32> -> tensor<" B "x8x14x14xui8>"
  print "  %w3 = qnn.constant " dense("8x8x3x3", -127, 127) " : tensor<8x8x3x3xi8>"
  print "  %b3 = qnn.constant " dense("8", -5000, 5000) " : tensor<8xi32>"
  print "  %c3 = qnn.conv2d %r2, %w3, %b3 {padding = array<i64: 1, 1, 1, 1>} : (tensor<" B "x8x14x14xui8>, tensor<8x8x3x3xi8>, tensor<8xi32>) -> tensor<" B "x8x14x14xi32>"
  print "  %r3 = qnn.rescale %c3 {multiplier = " array(8, 16384, 32767) ", shift = " array(8, 23, 23) "} : tensor<" B "x8x14x14xi32> -> tensor<" B "x8x14x14xi8>"
  print "  %sum = qnn.add %s, %r3 {lhs_multiplier = " uniform(8000, 16000) ", rhs_multiplier = " uniform(8000, 16000) "} : (tensor<" B "x8x14x14xui8>, tensor<" B "x8x14x14xi8>) -> tensor<" B "x8x14x14xi32>"
  print "  %y = qnn.rescale %sum {multiplier = array<i32: 1>, shift = array<i32: 14>, clamp_min = 0} : tensor<" B "x8x14x14xi32> -> tensor<" B "x8x14x14xui8>"
  print "  %pool = qnn.avg_pool2d %y {kernel = array<i64: 14, 14>} : tensor<" B "x8x14x14xui8> -> tensor<" B "x8x1x1xi32>"
  # 1/196 = 1402438301 / 2^38 (to 7e-10 relative error).
  print "  %avg = qnn.rescale %pool {multiplier = array<i32: 1402438301>, shift = array<i32: 38>} : tensor<" B "x8x1x1xi32> -> tensor<" B "x8x1x1xui8>"
  print "  %f = qnn.reshape %avg : tensor<" B "x8x1x1xui8> -> tensor<" B "x8xui8>"
  print "  %w4 = qnn.constant " dense("8x10", -127, 127) " : tensor<8x10xi8>"
  print "  %b4 = qnn.constant " dense("10", -1000, 1000) " : tensor<10xi32>"
  print "  %logits = qnn.matmul %f, %w4, %b4 : (tensor<" B "x8xui8>, tensor<8x10xi8>, tensor<10xi32>) -> tensor<" B "x10xi32>"
  print "  return %logits : tensor<" B "x10xi32>"
  print "}"
}
BEGIN {
  state = seed
  print "// Generated by examples/make-example.sh " model " " seed " " batch ": random integer weights."
  if (model == "lenet") lenet(batch); else resnet(batch)
}'
