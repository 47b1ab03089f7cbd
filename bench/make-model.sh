#!/usr/bin/env bash
# Writes an integer-only qnn model of a layer list, with deterministic
# pseudo-random weights, to stdout (func.func @main): the models of
# bench/kernels.sh, which its LibTorch and oneDNN baselines build from the
# same list (bench/baselines.cpp).
#
#   conv OUT K STRIDE PAD   conv2d + per-channel rescale + ReLU clamp
#   dwconv K STRIDE PAD     the same, depthwise (groups = channels)
#   pool K STRIDE           max pool
#   block OUT STRIDE        ResNet basic block: conv 3x3/STRIDE, conv 3x3,
#                           a 1x1/STRIDE projection when the shape changes,
#                           residual add + rescale + ReLU
#   gap                     global average pool (sum + rescale)
#   fc N                    matmul; a last one gives the i32 logits
#
# The model returns the last layer's result (a model of one conv layer
# returns its rescaled activations).
# Activations are ui8 (BITS 8) or ui4 (BITS 4) after every ReLU, weights i8
# in [-127, 127] or i4 in [-7, 7]; the input image is ui8. Shifts scale each
# layer's typical accumulator spread onto the activation range.
# Usage: make-model.sh BITS "C H W" "LAYER; LAYER; ..." [SEED]
set -euo pipefail
bits=${1:?usage: make-model.sh BITS \"C H W\" \"LAYERS\" [SEED]}
body=$(mktemp)
trap 'rm -f "$body"' EXIT
# The result type is known at the end: awk writes it last, sed puts it in
# the signature.
awk -v bits="$bits" -v input="$2" -v layers="$3" -v seed="${4:-1}" '
function rnd() { state = (state * 1103515245 + 12345) % 2147483648; return state }
function uniform(lo, hi) { return lo + rnd() % (hi - lo + 1) }
# Prints "  NAME = qnn.constant dense<[...]> : tensor<NxTYPE>" value by
# value (building the string first would be quadratic in awk).
function constant(name, n, lo, hi, type,    i) {
  printf "  %s = qnn.constant dense<[", name
  for (i = 0; i < n; i++) printf "%s%d", (i ? ", " : ""), uniform(lo, hi)
  print "]> : tensor<" n "x" type ">"
}
function array(n, lo, hi,    i, out) {
  out = ""
  for (i = 0; i < n; i++) out = out (i ? ", " : "") uniform(lo, hi)
  return "array<i32: " out ">"
}
function t4(c, h, w, e) { return "tensor<1x" c "x" h "x" w "x" e ">" }
# shift that maps an accumulator of K products onto the activation range
function shiftFor(k) { return int(15 + log(sqrt(k) * wq / 1.7) / log(2) + 0.5) }
# conv + rescale/ReLU from value `x` (c x h x w, type e), depthwise (one
# input channel per output channel) if `dw` -> sets C, H, W, E
function conv(x, out, k, s, p, dw,    name, oh, ow, wt, per, groups) {
  oh = int((H + 2 * p - k) / s) + 1; ow = int((W + 2 * p - k) / s) + 1
  n++; name = "%v" n
  per = dw ? 1 : C; groups = dw ? "groups = " C ", " : ""
  wt = "tensor<" out "x" per "x" k "x" k "x" wtype ">"
  constant("%w" n, out * per * k * k, -wq, wq, wtype)
  print "  %W" n " = qnn.reshape %w" n " : tensor<" out * per * k * k "x" wtype "> -> " wt
  constant("%b" n, out, -100, 100, "i32")
  print "  %c" n " = qnn.conv2d " x ", %W" n ", %b" n " {" groups "strides = array<i64: " s ", " s ">, padding = array<i64: " p ", " p ", " p ", " p ">} : (" t4(C, H, W, E) ", " wt ", tensor<" out "xi32>) -> " t4(out, oh, ow, "i32")
  print "  " name " = qnn.rescale %c" n " {axis = 1, multiplier = " array(out, 16384, 32767) ", shift = " array(out, shiftFor(per * k * k), shiftFor(per * k * k)) ", clamp_min = 0} : " t4(out, oh, ow, "i32") " -> " t4(out, oh, ow, atype)
  C = out; H = oh; W = ow; E = atype
  return name
}
function pool(x, k, s,    name, oh, ow) {
  oh = int((H - k) / s) + 1; ow = int((W - k) / s) + 1
  n++; name = "%v" n
  print "  " name " = qnn.max_pool2d " x " {kernel = array<i64: " k ", " k ">, strides = array<i64: " s ", " s ">} : " t4(C, H, W, E) " -> " t4(C, oh, ow, E)
  H = oh; W = ow
  return name
}
function block(x, out, s,    c0, h0, w0, e0, a, b, skip, name) {
  c0 = C; h0 = H; w0 = W; e0 = E
  a = conv(x, out, 3, s, 1, 0)
  b = conv(a, out, 3, 1, 1, 0)
  skip = x
  if (s != 1 || c0 != out) {
    C = c0; H = h0; W = w0; E = e0
    skip = conv(x, out, 1, s, 0, 0)
  }
  n++; name = "%v" n
  print "  %s" n " = qnn.add " skip ", " b " {lhs_multiplier = 8192, rhs_multiplier = 8192} : (" t4(C, H, W, E) ", " t4(C, H, W, E) ") -> " t4(C, H, W, "i32")
  print "  " name " = qnn.rescale %s" n " {multiplier = array<i32: 1>, shift = array<i32: 14>, clamp_min = 0} : " t4(C, H, W, "i32") " -> " t4(C, H, W, E)
  return name
}
function gap(x,    name) {
  n++; name = "%v" n
  print "  %g" n " = qnn.avg_pool2d " x " {kernel = array<i64: " H ", " W ">} : " t4(C, H, W, E) " -> " t4(C, 1, 1, "i32")
  print "  " name " = qnn.rescale %g" n " {multiplier = array<i32: 1>, shift = array<i32: " int(log(H * W) / log(2) + 0.5) ">} : " t4(C, 1, 1, "i32") " -> " t4(C, 1, 1, E)
  H = 1; W = 1
  return name
}
function fc(x, out, last,    name, k, f) {
  k = C * H * W
  n++; name = "%v" n
  if (!flat) { print "  %f" n " = qnn.reshape " x " : " t4(C, H, W, E) " -> tensor<1x" k "x" E ">"; x = "%f" n; flat = 1 }
  constant("%w" n, k * out, -wq, wq, wtype)
  print "  %W" n " = qnn.reshape %w" n " : tensor<" k * out "x" wtype "> -> tensor<" k "x" out "x" wtype ">"
  constant("%b" n, out, -100, 100, "i32")
  print "  %m" n " = qnn.matmul " x ", %W" n ", %b" n " : (tensor<1x" k "x" E ">, tensor<" k "x" out "x" wtype ">, tensor<" out "xi32>) -> tensor<1x" out "xi32>"
  C = out; H = 1; W = 1
  if (last) return "%m" n
  print "  " name " = qnn.rescale %m" n " {axis = 1, multiplier = " array(out, 16384, 32767) ", shift = " array(out, shiftFor(k), shiftFor(k)) ", clamp_min = 0} : tensor<1x" out "xi32> -> tensor<1x" out "x" atype ">"
  E = atype
  return name
}
BEGIN {
  state = seed
  atype = bits == 4 ? "ui4" : "ui8"; wtype = bits == 4 ? "i4" : "i8"; wq = bits == 4 ? 7 : 127
  split(input, d, " "); C = d[1]; H = d[2]; W = d[3]; E = "ui8"
  count = split(layers, L, ";")
  lastFc = 0
  for (i = 1; i <= count; i++) if (L[i] ~ /^ *fc /) lastFc = i
  print "// Generated by bench/make-model.sh " bits " \"" input "\" \"" layers "\" " seed
  print "func.func @main(%image: " t4(C, H, W, E) ") -> RESULT {"
  x = "%image"
  for (i = 1; i <= count; i++) {
    nf = split(L[i], f, " ")
    if (f[1] == "conv") x = conv(x, f[2], f[3], f[4], f[5], 0)
    else if (f[1] == "dwconv") x = conv(x, C, f[2], f[3], f[4], 1)
    else if (f[1] == "pool") x = pool(x, f[2], f[3])
    else if (f[1] == "block") x = block(x, f[2], f[3])
    else if (f[1] == "gap") x = gap(x)
    else if (f[1] == "fc") x = fc(x, f[2], i == lastFc)
    else { print "make-model.sh: unknown layer \"" L[i] "\"" > "/dev/stderr"; exit 2 }
  }
  type = flat ? "tensor<1x" C "x" (lastFc == count ? "i32" : E) ">" : t4(C, H, W, E)
  print "  return " x " : " type
  print "}"
  print type
}' > "$body"
result=$(tail -n 1 "$body")
sed -e '$d' -e "2s/RESULT/$result/" "$body"
