// RUN: qnn-opt %s --qnn-integerize | FileCheck %s --implicit-check-not=qnn.requantize --implicit-check-not=qnn.batch_norm --implicit-check-not=qnn.clamp
// RUN: qnn-opt %s --qnn-integerize="multiplier-bits=8" | FileCheck %s --check-prefix=W8
// RUN: qnn-opt %s --qnn-integerize="multiplier-bits=16 per-tensor" | FileCheck %s --check-prefix=PT
// RUN: qnn-opt %s --qnn-integerize=shift-only | FileCheck %s --check-prefix=POW2
// RUN: qnn-opt %s --qnn-integerize | qnn-run - --random-inputs 3 --print | FileCheck %s --check-prefix=EXEC
//
// The whole pre-fold network (BatchNorm and real-scaled residual add executed
// in double precision by the interpreter) against its integer version on the
// same random images: the logits agree within 1 (observed on these fixed
// seeds; the per-layer bound is proven in fold-scales-interpreter.mlir).
// RUN: qnn-opt %s --qnn-integerize -o %t.int.mlir
// RUN: qnn-run %s --random-inputs 1 --print > %t.pre1
// RUN: qnn-run %t.int.mlir --random-inputs 1 --print > %t.int1
// RUN: %python %S/Inputs/compare-results.py %t.pre1 %t.int1 --max-diff 1
// RUN: qnn-run %s --random-inputs 2 --print > %t.pre2
// RUN: qnn-run %t.int.mlir --random-inputs 2 --print > %t.int2
// RUN: %python %S/Inputs/compare-results.py %t.pre2 %t.int2 --max-diff 1
// RUN: qnn-run %s --random-inputs 3 --print > %t.pre3
// RUN: qnn-run %t.int.mlir --random-inputs 3 --print > %t.int3
// RUN: %python %S/Inputs/compare-results.py %t.pre3 %t.int3 --max-diff 1

// The example model of docs/passes.md: a stem conv with BatchNorm (channel 5
// has a negative scale) and ReLU, a residual block with a pre-folding
// residual add, global average pooling and a fully connected layer, all
// still carrying real scales (input scale 1/32, activation scales 0.05, 0.1,
// 0.12, 0.1, output 0.2; i4 conv weights, i8 fc weights). --qnn-integerize
// must leave an integer-only module (its last pass, --qnn-verify-integer-only,
// fails otherwise) in every mode.

// The integer module runs on the reference interpreter (which has no
// semantics for qnn.batch_norm and qnn.requantize_add, so the pre-fold
// model itself does not).
// EXEC: // result #0: tensor<1x10xi8>
// EXEC-NEXT: {{^\[\[(-?[0-9]+, )+-?[0-9]+\]\]$}}

// CHECK-LABEL: func.func @main
// Stem: the BatchNorm folds into the bias, b' = sign(g) * b + round(o / |g|):
// channel 0: -1 + round(-3.24 / 0.982 = -3.30) = -4; channel 1: 118 +
// round(8.95 / 0.691 = 12.95) = 131; channel 5 (g = -0.896, weights negated):
// 84 + round(-7.64 / 0.896 = -8.53) = 75; channel 7: -116 + round(-6.07) = -122.
// CHECK-DAG: %[[B1:.*]] = qnn.constant dense<[-4, 131, -154, 184, -108, 75, -151, -122]> : tensor<8xi32>
// The stem accumulator fits 16 bits: 27 taps of |x| <= 128 times |w| <= 7
// with a bias of at most 184: 27 * 896 + 184 = 24376.
// CHECK: %[[A1:.*]] = qnn.conv2d %arg0, %{{.*}}, %[[B1]] {padding = array<i64: 1, 1, 1, 1>, qnn.acc16}
// and into the requantize scale, s * |g|: channel 0: 0.05025 * 0.982 =
// 0.0493455 = 0.79 * 2^-4, shift 35, round(0.0493455 * 2^35) = 1695498470;
// channel 5: 0.0169375 * 0.896 = 0.015176 = 0.97 * 2^-6, shift 37,
// 2085773558. The ReLU becomes the clamp bounds.
// CHECK: %[[Y1:.*]] = qnn.rescale %[[A1]] {clamp_max = 127 : i64, clamp_min = 0 : i64, multiplier = array<i32: 1695498470, {{[0-9]+, [0-9]+, [0-9]+, [0-9]+}}, 2085773558, {{[0-9]+}}, {{[0-9]+}}>, shift = array<i32: 35, {{[0-9]+, [0-9]+, [0-9]+, [0-9]+}}, 37, {{[0-9]+}}, {{[0-9]+}}>}
// CHECK: %[[A2:.*]] = qnn.conv2d %[[Y1]], %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 1, 1>, qnn.acc16}
// CHECK: %[[Y2:.*]] = qnn.rescale %[[A2]] {multiplier
// Residual add: lhs = Y1 in [0, 127] (clamped), rhs = Y2 in [-128, 127],
// scales 0.05 / 0.12 and 0.1 / 0.12. At shift 23: round(0.41667 * 2^23) =
// 3495253 and round(0.83333 * 2^23) = 6990507, 127 * (3495253 + 6990507) =
// 1331691520 fits i32; at shift 24 the sum doubles past 2^31.
// CHECK: %[[S:.*]] = qnn.add %[[Y1]], %[[Y2]] {lhs_multiplier = 3495253 : i64, rhs_multiplier = 6990507 : i64}
// CHECK: %[[R2:.*]] = qnn.rescale %[[S]] {clamp_max = 127 : i64, clamp_min = 0 : i64, multiplier = array<i32: 1>, shift = array<i32: 23>}
// CHECK: %[[P:.*]] = qnn.avg_pool2d %[[R2]] {kernel = array<i64: 8, 8>, qnn.acc16}
// Pool: 0.12 / 0.1 / 64 = 0.01875 = 0.6 * 2^-5: shift 36, round(0.01875 *
// 2^36 = 1288490188.8) = 1288490189.
// CHECK: qnn.rescale %[[P]] {multiplier = array<i32: 1288490189>, shift = array<i32: 36>}
// The fc accumulator needs more than 16 bits: 8 * 128 * 127 = 130048.
// CHECK: %[[FC:.*]] = qnn.matmul %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x8xi8>
// CHECK: qnn.rescale %[[FC]]

// 8 bits: add at shift 8 (round(106.67) = 107, round(213.33) = 213); pool
// 0.01875 * 2^13 = 153.6 -> 154.
// W8: qnn.add {{.*}} {lhs_multiplier = 107 : i64, rhs_multiplier = 213 : i64}
// W8: multiplier = array<i32: 1>, shift = array<i32: 8>
// W8: qnn.rescale {{.*}} {multiplier = array<i32: 154>, shift = array<i32: 13>}

// 16 bits per tensor: one multiplier per rescale; pool 0.01875 * 2^21 =
// 39321.6 -> 39322.
// PT: qnn.rescale {{.*}} {clamp_max = 127 : i64, clamp_min = 0 : i64, multiplier = array<i32: {{[0-9]+}}>, shift = array<i32: {{[0-9]+}}>}
// PT: qnn.add {{.*}} {lhs_multiplier = 27307 : i64, rhs_multiplier = 54613 : i64}
// PT: qnn.rescale {{.*}} {multiplier = array<i32: 39322>, shift = array<i32: 21>}

// Shift-only: 0.41667 -> 2^-1, 0.83333 -> 2^0 (log2 -1.26 and -0.26), so
// shift 1 with multipliers 1 and 2 (an accumulator in [-256, 381], 16
// bits); 0.01875 -> 2^-6 (log2 -5.74).
// POW2: qnn.add {{.*}} {qnn.acc16, rhs_multiplier = 2 : i64}
// POW2: multiplier = array<i32: 1>, shift = array<i32: 1>
// POW2: qnn.rescale {{.*}} {multiplier = array<i32: 1>, shift = array<i32: 6>}

func.func @main(%x: tensor<1x3x8x8xi8>) -> tensor<1x10xi8> {
  %w1 = qnn.constant dense<[[[[-1, 0, 3], [5, 4, -4], [-3, -7, 5]], [[-1, 6, 0], [3, 7, 1], [5, 1, 3]], [[-3, 4, -5], [-4, 3, 4], [7, 0, 0]]], [[[1, 4, 3], [3, 7, -5], [6, -1, 4]], [[-7, -5, 6], [-3, 3, -6], [4, -1, 1]], [[-4, -2, -5], [4, 4, 3], [-3, -3, 7]]], [[[6, 1, -2], [-1, -5, 1], [-1, -3, 3]], [[-4, 3, 2], [-7, -1, -4], [-7, 7, 6]], [[0, -6, -4], [-6, -7, -2], [-7, -1, 0]]], [[[-4, -4, 0], [-4, 3, -4], [7, -1, -2]], [[-3, 5, 2], [-3, -3, -7], [6, -2, -2]], [[5, -2, -4], [5, -2, 0], [2, -5, 1]]], [[[-2, -1, 5], [2, 2, 2], [-7, -6, 4]], [[-1, 3, 1], [4, -6, -2], [-5, -6, 7]], [[-2, -4, -2], [1, 2, 1], [2, -1, -2]]], [[[5, -6, -4], [4, -7, -4], [3, -3, 1]], [[-7, 3, 5], [-6, -3, -4], [-1, 2, 5]], [[5, 2, 7], [1, -6, 7], [3, -6, -1]]], [[[7, 6, -1], [7, 3, 7], [-4, 2, -3]], [[-7, 5, -3], [5, -1, 1], [2, -5, -5]], [[2, -3, -5], [6, 3, 0], [1, 6, 6]]], [[[-5, 3, -3], [-2, 7, 2], [-4, 4, 0]], [[-3, -2, -3], [-4, -2, 3], [-1, 2, 3]], [[6, 2, -1], [4, -3, -4], [-7, -3, -4]]]]> : tensor<8x3x3x3xi4>
  %b1 = qnn.constant dense<[-1, 118, -155, 173, -109, -84, -140, -116]> : tensor<8xi32>
  %a1 = qnn.conv2d %x, %w1, %b1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xi8>, tensor<8x3x3x3xi4>, tensor<8xi32>) -> tensor<1x8x8x8xi32>
  %n1 = qnn.batch_norm %a1 {scale = array<f64: 0.982, 0.691, 1.11, 1.24, 0.924, -0.896, 1.308, 1.121>, offset = array<f64: -3.24, 8.95, 1.5, 13.16, 0.73, -7.64, -14.93, -6.8>} : tensor<1x8x8x8xi32>
  %y1 = qnn.requantize %n1 {scale = array<f64: 0.050249999999999996, 0.057375, 0.04525, 0.0205, 0.053125, 0.016937499999999998, 0.0551875, 0.0319375>} : tensor<1x8x8x8xi32> -> tensor<1x8x8x8xi8>
  %r1 = qnn.clamp %y1 {min = 0, max = 127} : tensor<1x8x8x8xi8>
  %w2 = qnn.constant dense<[[[[-5, 5, 3], [4, 7, -1], [4, -6, -1]], [[-6, 4, 3], [4, -4, 6], [1, -4, 0]], [[3, 6, 4], [6, -2, -5], [-6, 4, 3]], [[-7, 6, -7], [0, 0, 1], [-5, 0, -2]], [[6, 1, -3], [-7, -7, 2], [-4, 0, -5]], [[-7, 5, 4], [4, -1, 3], [-1, -5, -1]], [[5, -3, -4], [-1, -1, 5], [-7, -1, -6]], [[5, 5, 2], [-6, 5, -2], [3, 1, -6]]], [[[-1, -5, 7], [3, -1, 4], [1, -2, -5]], [[2, 1, -2], [7, 1, 2], [7, 7, 6]], [[-2, 0, 3], [-3, 4, 0], [3, -3, 6]], [[0, -6, 5], [-5, -7, -7], [-6, 0, -3]], [[6, 7, -3], [3, -7, -7], [4, -6, -1]], [[2, -1, -6], [-7, -6, -3], [-7, 4, 5]], [[-1, 5, 7], [-4, 5, -3], [2, 7, -3]], [[5, 3, -3], [-2, 2, 0], [-3, 6, -5]]], [[[5, 3, 6], [-2, -6, 6], [-1, -4, 2]], [[2, 3, -6], [6, 2, 3], [-6, 7, 2]], [[-4, 5, 1], [6, 5, -2], [2, 3, -5]], [[5, -6, -3], [6, 2, 7], [-5, 1, 6]], [[-3, 4, -2], [5, -5, 7], [-7, -7, -7]], [[-3, 2, 0], [-1, 5, 0], [-6, 2, -7]], [[-7, -4, 6], [7, -7, 0], [-1, -7, -1]], [[5, 7, -4], [-5, 0, -7], [-1, 6, -2]]], [[[7, -2, 5], [1, -3, -4], [6, -2, 1]], [[-6, 2, -5], [7, -6, -2], [-2, 1, -7]], [[5, -5, 1], [-4, 3, 2], [7, -3, 3]], [[-1, 6, 7], [2, -3, 3], [-7, -7, -4]], [[7, -6, 4], [4, -4, -7], [7, 0, 4]], [[2, 3, 7], [-2, 3, -5], [-2, -4, 1]], [[-5, 6, -1], [2, -4, 6], [-6, 7, 5]], [[0, -6, 2], [-3, -4, -4], [-1, 6, -2]]], [[[1, -7, 7], [-3, 0, -3], [-4, 5, -1]], [[7, 7, -5], [2, 5, -4], [-2, -2, -1]], [[5, 1, 7], [4, -7, -7], [7, -5, -6]], [[-7, -2, 7], [3, -3, -5], [-1, -7, -7]], [[-5, -2, 4], [6, 2, 4], [-5, 6, 7]], [[-4, 3, 2], [-4, -5, -5], [-4, -1, 5]], [[1, -6, -3], [-7, 2, -1], [-6, -4, 0]], [[1, 4, 7], [-6, -4, 4], [2, 7, 5]]], [[[7, 2, 0], [-7, -6, 7], [5, -1, -2]], [[-5, -1, -2], [3, -1, -3], [7, -1, 6]], [[6, -7, 1], [7, -4, 2], [-1, 3, 1]], [[-7, -7, 1], [3, 3, 0], [6, 7, 6]], [[6, 0, 4], [-3, 0, 3], [-1, 4, -7]], [[0, -4, 5], [4, 2, -2], [3, -1, -4]], [[2, 4, 0], [-7, -7, 4], [6, -3, 1]], [[-6, 0, -6], [-2, 2, -5], [-7, 7, 3]]], [[[7, -4, -7], [-4, -7, 4], [1, -3, 1]], [[4, -7, 3], [5, 3, 3], [-5, 5, 1]], [[3, -6, 6], [-3, -7, 6], [1, -1, -6]], [[-3, -6, -1], [-4, 0, -6], [3, 4, -6]], [[-3, -6, 4], [-6, -1, -2], [-1, 6, -3]], [[1, 4, 4], [5, -3, 0], [-6, -3, 0]], [[-3, 7, 4], [-5, 3, -7], [3, -2, 4]], [[-6, 0, 7], [5, -1, -4], [5, -5, 4]]], [[[6, -7, -4], [7, -3, -1], [3, -2, -3]], [[-6, 4, 4], [-3, 7, 3], [-2, 7, 5]], [[5, 1, -2], [1, -3, -6], [-7, 0, -6]], [[7, 2, -2], [4, 2, 2], [-7, -3, 6]], [[7, -5, -7], [-6, -1, 3], [6, -4, 4]], [[-7, 2, -5], [4, -2, 6], [4, -7, -5]], [[-7, 7, -2], [-1, 7, 0], [-4, 0, -5]], [[7, -6, 2], [6, 5, -3], [6, 2, 1]]]]> : tensor<8x8x3x3xi4>
  %b2 = qnn.constant dense<[-156, 79, -125, -66, 38, -57, -274, -144]> : tensor<8xi32>
  %a2 = qnn.conv2d %r1, %w2, %b2 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x8xi8>, tensor<8x8x3x3xi4>, tensor<8xi32>) -> tensor<1x8x8x8xi32>
  %y2 = qnn.requantize %a2 {scale = array<f64: 0.01745, 0.0362, 0.012950000000000001, 0.027, 0.02085, 0.014450000000000001, 0.04215, 0.0213>} : tensor<1x8x8x8xi32> -> tensor<1x8x8x8xi8>
  %s = qnn.requantize_add %r1, %y2 {lhs_scale = 0.4166666666666667, rhs_scale = 0.8333333333333334} : (tensor<1x8x8x8xi8>, tensor<1x8x8x8xi8>) -> tensor<1x8x8x8xi8>
  %r2 = qnn.clamp %s {min = 0, max = 127} : tensor<1x8x8x8xi8>
  %p = qnn.avg_pool2d %r2 {kernel = array<i64: 8, 8>} : tensor<1x8x8x8xi8> -> tensor<1x8x1x1xi32>
  %q = qnn.requantize %p {scale = array<f64: 0.01875>} : tensor<1x8x1x1xi32> -> tensor<1x8x1x1xi8>
  %f = qnn.reshape %q : tensor<1x8x1x1xi8> -> tensor<1x8xi8>
  %w3 = qnn.constant dense<[[116, -98, -85, -71, -100, 127, 35, -115, -125, -115], [120, -80, -54, 46, 50, 103, -112, 60, -73, 13], [-88, -85, 69, 48, -62, -29, -6, -71, 114, 64], [-110, -49, 88, -88, -80, 2, 51, 78, 45, 1], [-28, -107, 55, -24, 9, 7, -31, 107, -59, 78], [42, 98, -8, 42, -115, -74, -78, -59, 28, -87], [49, -82, 31, 29, -51, 79, -35, 93, -117, 19], [116, -72, -86, -18, 106, 63, 47, 22, -108, -48]]> : tensor<8x10xi8>
  %b3 = qnn.constant dense<[-97, 856, 320, -412, -559, -928, 717, 296, -149, 330]> : tensor<10xi32>
  %a3 = qnn.matmul %f, %w3, %b3 : (tensor<1x8xi8>, tensor<8x10xi8>, tensor<10xi32>) -> tensor<1x10xi32>
  %y = qnn.requantize %a3 {scale = array<f64: 0.006, 0.00495, 0.009615, 0.008185, 0.0028799999999999997, 0.008665, 0.00818, 0.009855, 0.00397, 0.00919>} : tensor<1x10xi32> -> tensor<1x10xi8>
  return %y : tensor<1x10xi8>
}
