// RUN: qnn-opt %s -split-input-file --qnn-fold-scales | FileCheck %s --check-prefixes=CHECK,W31
// RUN: qnn-opt %s -split-input-file --qnn-fold-scales=multiplier-bits=16 | FileCheck %s --check-prefixes=CHECK,W16
// RUN: qnn-opt %s -split-input-file --qnn-fold-scales=multiplier-bits=8 | FileCheck %s --check-prefixes=CHECK,W8
// RUN: qnn-opt %s -split-input-file --qnn-fold-scales=shift-only | FileCheck %s --check-prefixes=CHECK,POW2

// Expected (multiplier M, shift s): the most precise M / 2^s with
// M = round_half_up(scale * 2^s) < 2^w, i.e. the largest s whose M still
// fits w bits. Shift-only: the power of two nearest to the scale in log2.

// CHECK-LABEL: func.func @per_tensor
func.func @per_tensor(%x: tensor<1x4xi32>) -> tensor<1x4xi8> {
  // 0.1 = 0.8 * 2^-3
  //  w=31: s = 31 + 3 = 34, 0.1 * 2^34 = 1717986918.4    -> M = 1717986918
  //  w=16: s = 16 + 3 = 19, 0.1 * 2^19 = 52428.8         -> M = 52429
  //  w=8:  s =  8 + 3 = 11, 0.1 * 2^11 = 204.8           -> M = 205
  //  pow2: log2(0.1) = -3.32, nearest -3                  -> M = 1, s = 3
  // Zero points, clamp bounds and rounding carry over unchanged.
  // W31: qnn.rescale %{{.*}} {clamp_max = 100 : i64, clamp_min = -3 : i64, input_zp = 7 : i64, multiplier = array<i32: 1717986918>, output_zp = -3 : i64, rounding = #qnn.rounding<half_even>, shift = array<i32: 34>}
  // W16: multiplier = array<i32: 52429>, {{.*}}shift = array<i32: 19>}
  // W8:  multiplier = array<i32: 205>, {{.*}}shift = array<i32: 11>}
  // POW2: multiplier = array<i32: 1>, {{.*}}shift = array<i32: 3>}
  // CHECK-NOT: qnn.requantize
  %0 = qnn.requantize %x {scale = array<f64: 0.1>, input_zp = 7, output_zp = -3, clamp_min = -3, clamp_max = 100, rounding = #qnn.rounding<half_even>} : tensor<1x4xi32> -> tensor<1x4xi8>
  return %0 : tensor<1x4xi8>
}

// -----

// CHECK-LABEL: func.func @per_channel
func.func @per_channel(%x: tensor<1x3x2x2xi32>) -> tensor<1x3x2x2xi8> {
  // 2^-7 is exact at every width: M = 2^(w-1), s = w - 1 + 7.
  // 1/255 = 0.00392156862745098 = 0.50196 * 2^-7
  //  w=31: s = 38, 2^38 / 255 = 1077952576.25           -> M = 1077952576
  //  w=16: s = 23, 2^23 / 255 = 32896.50196             -> M = 32897
  //  w=8:  s = 15, 2^15 / 255 = 128.50196               -> M = 129
  //  pow2: 1/255 ~ 2^-7.99, nearest 2^-8                  -> M = 1, s = 8
  // 0.99999 at w=8: s = 8 gives 255.99744 -> 256, which does not fit 8 bits,
  // so s = 7: 127.99872 -> M = 128 (the rounding carry).
  //  w=31: s = 31, 0.99999 * 2^31 = 2147462173.16        -> M = 2147462173
  //  w=16: s = 16, 0.99999 * 2^16 = 65535.34464          -> M = 65535
  //  pow2: nearest 2^0                                    -> M = 1, s = 0
  // W31:  multiplier = array<i32: 1073741824, 1077952576, 2147462173>, {{.*}}shift = array<i32: 37, 38, 31>}
  // W16:  multiplier = array<i32: 32768, 32897, 65535>, {{.*}}shift = array<i32: 22, 23, 16>}
  // W8:   multiplier = array<i32: 128, 129, 128>, {{.*}}shift = array<i32: 14, 15, 7>}
  // POW2: multiplier = array<i32: 1, 1, 1>, {{.*}}shift = array<i32: 7, 8, 0>}
  %0 = qnn.requantize %x {scale = array<f64: 0.0078125, 0.00392156862745098, 0.99999>} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xi8>
  return %0 : tensor<1x3x2x2xi8>
}

// -----

// CHECK-LABEL: func.func @large_scale
func.func @large_scale(%x: tensor<4xi8>) -> tensor<4xi16> {
  // 200.5 = 0.783 * 2^8: at w=8 the shift would be 0 with M = 200.5 ->
  // 201 (ties round up).
  //  w=31: s = 23, 200.5 * 2^23 = 1681915904 (exact)
  //  w=16: s = 8,  200.5 * 2^8  = 51328 (exact)
  //  pow2: log2(200.5) = 7.65, nearest 2^8                -> M = 256, s = 0
  // W31:  multiplier = array<i32: 1681915904>, {{.*}}shift = array<i32: 23>}
  // W16:  multiplier = array<i32: 51328>, {{.*}}shift = array<i32: 8>}
  // W8:   multiplier = array<i32: 201>, {{.*}}shift = array<i32: 0>}
  // POW2: multiplier = array<i32: 256>, {{.*}}shift = array<i32: 0>}
  %0 = qnn.requantize %x {scale = array<f64: 200.5>} : tensor<4xi8> -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

// Residual add: both operand multipliers at one common shift s, the
// largest that the width allows for the larger scale and for which
// |M_lhs * (lhs - lhs_zp)| + |M_rhs * (rhs - rhs_zp)| fits i32. (A multiplier
// of 1 is the default and is not printed.)

// CHECK-LABEL: func.func @add_power_of_two
func.func @add_power_of_two(%a: tensor<2x3xi8>, %b: tensor<2x3xi8>) -> tensor<2x3xi8> {
  // Scales 0.5 and 0.25, operands i8 with zero points 0: a - 0 and b - 0
  // lie in [-128, 127], so the accumulator needs 128 * (M_lhs + M_rhs) <= 2^31,
  // i.e. 0.75 * 2^s <= 2^24: s = 24 (s = 25 gives 0.75 * 2^25 > 2^24).
  //  w=31: the width allows s = 31 for 0.5; the accumulator caps it at 24:
  //        M_lhs = 2^23 = 8388608, M_rhs = 2^22 = 4194304
  //  w=16: s = 16, M_lhs = 32768, M_rhs = 16384 (128 * 49152 < 2^31)
  //  w=8:  s = 8,  M_lhs = 128, M_rhs = 64
  //  pow2: 0.5 = 2^-1, 0.25 = 2^-2: s = 2, M_lhs = 2, M_rhs = 1
  // W31:  %[[ACC:.*]] = qnn.add %{{.*}}, %{{.*}} {lhs_multiplier = 8388608 : i64, rhs_multiplier = 4194304 : i64} : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<2x3xi32>
  // W31:  qnn.rescale %[[ACC]] {multiplier = array<i32: 1>, shift = array<i32: 24>} : tensor<2x3xi32> -> tensor<2x3xi8>
  // W16:  {lhs_multiplier = 32768 : i64, rhs_multiplier = 16384 : i64}
  // W16:  {multiplier = array<i32: 1>, shift = array<i32: 16>}
  // W8:   {lhs_multiplier = 128 : i64, rhs_multiplier = 64 : i64}
  // W8:   {multiplier = array<i32: 1>, shift = array<i32: 8>}
  // POW2: {lhs_multiplier = 2 : i64} : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<2x3xi32>
  // POW2: {multiplier = array<i32: 1>, shift = array<i32: 2>}
  // CHECK-NOT: qnn.requantize_add
  %0 = qnn.requantize_add %a, %b {lhs_scale = 0.5, rhs_scale = 0.25} : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// CHECK-LABEL: func.func @add_zero_points_and_clamps
func.func @add_zero_points_and_clamps(%a: tensor<4xui8>, %b: tensor<4xi8>) -> tensor<4xui8> {
  // Operand ranges: a is a ReLU output clamped to [10, 255] with zp 10, so
  // a - 10 in [0, 245]; b is i8 with zp -3, so b + 3 in [-125, 130].
  // Scales 0.3 (= 0.6 * 2^-1) and 0.7 (= 0.7 * 2^0): the larger, 0.7, fixes
  // the width's shift: w = 31 -> s = 31, w = 16 -> s = 16, w = 8 -> s = 8.
  //  w=31: at s = 23: M_lhs = round(0.3 * 2^23) = round(2516582.4) = 2516582,
  //        M_rhs = round(0.7 * 2^23) = round(5872025.6) = 5872026;
  //        hi = 245 * 2516582 + 130 * 5872026 = 616562590 + 763363380
  //           = 1379925970 <= 2^31 - 1, while at s = 24 it is 2759851940 > 2^31 - 1.
  //  w=16: s = 16: M_lhs = round(19660.8) = 19661, M_rhs = round(45875.2) = 45875
  //  w=8:  s = 8:  M_lhs = round(76.8) = 77, M_rhs = round(179.2) = 179
  //  pow2: 0.3 -> 2^-2 (log2 = -1.74), 0.7 -> 2^-1 (log2 = -0.51): s = 2,
  //        M_lhs = 1, M_rhs = 2
  // W31:  qnn.add {{.*}} {lhs_multiplier = 2516582 : i64, lhs_zp = 10 : i64, rhs_multiplier = 5872026 : i64, rhs_zp = -3 : i64}
  // W31:  qnn.rescale {{.*}} {clamp_min = 5 : i64, multiplier = array<i32: 1>, output_zp = 5 : i64, rounding = #qnn.rounding<half_away_from_zero>, shift = array<i32: 23>} : tensor<4xi32> -> tensor<4xui8>
  // W16:  {lhs_multiplier = 19661 : i64, lhs_zp = 10 : i64, rhs_multiplier = 45875 : i64, rhs_zp = -3 : i64}
  // W16:  shift = array<i32: 16>
  // W8:   {lhs_multiplier = 77 : i64, lhs_zp = 10 : i64, rhs_multiplier = 179 : i64, rhs_zp = -3 : i64}
  // W8:   shift = array<i32: 8>
  // POW2: {lhs_zp = 10 : i64, rhs_multiplier = 2 : i64, rhs_zp = -3 : i64}
  // POW2: shift = array<i32: 2>
  %relu = qnn.clamp %a {min = 10, max = 255} : tensor<4xui8>
  %0 = qnn.requantize_add %relu, %b {lhs_scale = 0.3, rhs_scale = 0.7, lhs_zp = 10, rhs_zp = -3, output_zp = 5, clamp_min = 5, rounding = #qnn.rounding<half_away_from_zero>} : (tensor<4xui8>, tensor<4xi8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Average pooling: the frontend puts 1/area into the scale. A 3x3 window
// averaging i8 data into i8 at the same real scale has scale 1/9.

// CHECK-LABEL: func.func @avg_pool_divisor
func.func @avg_pool_divisor(%x: tensor<1x1x3x3xi8>) -> tensor<1x1x1x1xi8> {
  // 1/9 = 0.888 * 2^-3
  //  w=31: s = 34, 2^34 / 9 = 1908874353.78              -> M = 1908874354
  //  w=16: s = 19, 2^19 / 9 = 58254.22                    -> M = 58254
  //  w=8:  s = 11, 2^11 / 9 = 227.56                      -> M = 228
  //  pow2: log2(1/9) = -3.17, nearest 2^-3                 -> M = 1, s = 3
  // W31:  multiplier = array<i32: 1908874354>, {{.*}}shift = array<i32: 34>}
  // W16:  multiplier = array<i32: 58254>, {{.*}}shift = array<i32: 19>}
  // W8:   multiplier = array<i32: 228>, {{.*}}shift = array<i32: 11>}
  // POW2: multiplier = array<i32: 1>, {{.*}}shift = array<i32: 3>}
  %sum = qnn.avg_pool2d %x {kernel = array<i64: 3, 3>} : tensor<1x1x3x3xi8> -> tensor<1x1x1x1xi32>
  %0 = qnn.requantize %sum {scale = array<f64: 0.1111111111111111>} : tensor<1x1x1x1xi32> -> tensor<1x1x1x1xi8>
  return %0 : tensor<1x1x1x1xi8>
}
