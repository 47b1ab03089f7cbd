// RUN: qnn-opt %s --qnn-check-ranges=report -verify-diagnostics | FileCheck %s

// Worst-case accumulator intervals of realistic 8- and 4-bit layers, each
// computed by hand in the comment, reported by the remark, and marked
// qnn.acc16 when they fit [-32768, 32767].

// CHECK-LABEL: func.func @conv_8bit
func.func @conv_8bit(%x: tensor<1x64x8x8xi8>, %w: tensor<64x64x3x3xi8>, %u: tensor<1x64x8x8xui8>) -> (tensor<1x64x6x6xi32>, tensor<1x64x8x8xi32>) {
  // i8 x i8, K = 64 * 3 * 3 = 576: products in [-128 * 127, (-128)^2]
  // = [-16256, 16384]; times 576: [-9363456, 9437184]. Fits i32, not 16 bits.
  // CHECK: qnn.conv2d
  // CHECK-NOT: qnn.acc16
  // CHECK-SAME: -> tensor<1x64x6x6xi32>
  // expected-remark @+1 {{accumulator range [-9363456, 9437184] fits 'i32' (K = 576, data - zp in [-128, 127], weight - zp in [-128, 127])}}
  %0 = qnn.conv2d %x, %w : (tensor<1x64x8x8xi8>, tensor<64x64x3x3xi8>) -> tensor<1x64x6x6xi32>
  // ui8 with zero point 128 is the same interval [-128, 127]; padding adds 0
  // to each product's interval, which it already holds.
  // expected-remark @+1 {{accumulator range [-9363456, 9437184] fits 'i32' (K = 576, data - zp in [-128, 127] (or 0 when padded), weight - zp in [-128, 127])}}
  %1 = qnn.conv2d %u, %w {input_zp = 128, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x64x8x8xui8>, tensor<64x64x3x3xi8>) -> tensor<1x64x8x8xi32>
  return %0, %1 : tensor<1x64x6x6xi32>, tensor<1x64x8x8xi32>
}

// CHECK-LABEL: func.func @conv_4bit
func.func @conv_4bit(%x: tensor<1x16x8x8xui4>, %w: tensor<16x16x3x3xi4>, %x64: tensor<1x64x8x8xui4>, %w64: tensor<64x64x3x3xi4>) -> (tensor<1x16x6x6xi32>, tensor<1x64x6x6xi32>) {
  // ui4 x i4, K = 16 * 9 = 144: products in [15 * -8, 15 * 7] = [-120, 105];
  // times 144: [-17280, 15120]. Fits 16 bits.
  // CHECK: qnn.conv2d {{.*}} {qnn.acc16} : (tensor<1x16x8x8xui4>
  // expected-remark @+1 {{accumulator range [-17280, 15120] fits 'i32' and 16 bits (K = 144, data - zp in [0, 15], weight - zp in [-8, 7])}}
  %0 = qnn.conv2d %x, %w : (tensor<1x16x8x8xui4>, tensor<16x16x3x3xi4>) -> tensor<1x16x6x6xi32>
  // K = 64 * 9 = 576: [-69120, 60480]. Too wide for 16 bits.
  // CHECK: qnn.conv2d
  // CHECK-NOT: qnn.acc16
  // CHECK-SAME: -> tensor<1x64x6x6xi32>
  // expected-remark @+1 {{accumulator range [-69120, 60480] fits 'i32' (K = 576, data - zp in [0, 15], weight - zp in [-8, 7])}}
  %1 = qnn.conv2d %x64, %w64 : (tensor<1x64x8x8xui4>, tensor<64x64x3x3xi4>) -> tensor<1x64x6x6xi32>
  return %0, %1 : tensor<1x16x6x6xi32>, tensor<1x64x6x6xi32>
}

// CHECK-LABEL: func.func @depthwise
func.func @depthwise(%x: tensor<1x32x8x8xi8>, %w: tensor<32x1x3x3xi8>) -> tensor<1x32x6x6xi32> {
  // groups = 32: K = (32 / 32) * 9 = 9: [-16256 * 9, 16384 * 9] = [-146304, 147456].
  // expected-remark @+1 {{accumulator range [-146304, 147456] fits 'i32' (K = 9, data - zp in [-128, 127], weight - zp in [-128, 127])}}
  %0 = qnn.conv2d %x, %w {groups = 32} : (tensor<1x32x8x8xi8>, tensor<32x1x3x3xi8>) -> tensor<1x32x6x6xi32>
  return %0 : tensor<1x32x6x6xi32>
}

// CHECK-LABEL: func.func @constant_weights_and_narrowed_input
func.func @constant_weights_and_narrowed_input(%acc: tensor<1x1x3x3xi32>) -> (tensor<1x1x2x2xi32>, tensor<1x1x4x4xi32>) {
  // The input is a rescale clamped to [5, 10] (zero point 0); the weights
  // are the constant [1, -2, 3, 1] with weight_zp 1, i.e. w - zp = [0, -3, 2, 0];
  // the bias is the constant 7. Sum of x * (w - zp): x * -3 in [-30, -15],
  // x * 2 in [10, 20]: [-20, 5], plus 7: [-13, 12].
  // With padding a window may read 0 for any tap: [-30, 0] + [0, 20] + 7
  // = [-23, 27].
  %x = qnn.rescale %acc {multiplier = array<i32: 1>, shift = array<i32: 0>, clamp_min = 5, clamp_max = 10} : tensor<1x1x3x3xi32> -> tensor<1x1x3x3xi8>
  %w = qnn.constant dense<[[[[1, -2], [3, 1]]]]> : tensor<1x1x2x2xi8>
  %b = qnn.constant dense<7> : tensor<1xi32>
  // CHECK: qnn.conv2d {{.*}}qnn.acc16
  // expected-remark @+1 {{accumulator range [-13, 12] fits 'i32' and 16 bits (K = 4, data - zp in [5, 10], constant weights, bias in [7, 7])}}
  %0 = qnn.conv2d %x, %w, %b {weight_zp = 1} : (tensor<1x1x3x3xi8>, tensor<1x1x2x2xi8>, tensor<1xi32>) -> tensor<1x1x2x2xi32>
  // expected-remark @+1 {{accumulator range [-23, 27] fits 'i32' and 16 bits (K = 4, data - zp in [5, 10] (or 0 when padded), constant weights, bias in [7, 7])}}
  %1 = qnn.conv2d %x, %w, %b {weight_zp = 1, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xi8>, tensor<1x1x2x2xi8>, tensor<1xi32>) -> tensor<1x1x4x4xi32>
  return %0, %1 : tensor<1x1x2x2xi32>, tensor<1x1x4x4xi32>
}

// CHECK-LABEL: func.func @matmul_per_column
func.func @matmul_per_column(%x: tensor<5x2xi8>) -> tensor<5x2xi32> {
  // Constant [K, N] weights: the interval is taken column by column.
  // Column 0: x * 1 + x * 3 = [-512, 508], + 10 = [-502, 518].
  // Column 1: x * -2 in [-254, 256], x * 4 in [-512, 508]: [-766, 764], - 10
  // = [-776, 754]. The hull: [-776, 754].
  %w = qnn.constant dense<[[1, -2], [3, 4]]> : tensor<2x2xi8>
  %b = qnn.constant dense<[10, -10]> : tensor<2xi32>
  // expected-remark @+1 {{accumulator range [-776, 754] fits 'i32' and 16 bits (K = 2, data - zp in [-128, 127], constant weights, bias in [-10, 10])}}
  %0 = qnn.matmul %x, %w, %b : (tensor<5x2xi8>, tensor<2x2xi8>, tensor<2xi32>) -> tensor<5x2xi32>
  return %0 : tensor<5x2xi32>
}

// CHECK-LABEL: func.func @matmul_i64
func.func @matmul_i64(%x: tensor<1x4xi16>, %w: tensor<4x1xi16>) -> tensor<1x1xi64> {
  // i16 x i16 with K = 4: [-32768 * 32767, 32768^2] * 4
  // = [-4294836224, 4294967296]: too wide for i32, fine in an i64 accumulator.
  // expected-remark @+1 {{accumulator range [-4294836224, 4294967296] fits 'i64' (K = 4, data - zp in [-32768, 32767], weight - zp in [-32768, 32767])}}
  %0 = qnn.matmul %x, %w : (tensor<1x4xi16>, tensor<4x1xi16>) -> tensor<1x1xi64>
  return %0 : tensor<1x1xi64>
}

// CHECK-LABEL: func.func @residual_add
func.func @residual_add(%a: tensor<4xi8>, %b: tensor<4xui8>) -> tensor<4xi32> {
  // (a - 0) * 8388608 + (b - 128) * 4194304 with both differences in
  // [-128, 127]: [-128 * 12582912, 127 * 12582912] = [-1610612736, 1598029824].
  // expected-remark @+1 {{accumulator range [-1610612736, 1598029824] fits 'i32' (lhs - zp in [-128, 127] times 8388608, rhs - zp in [-128, 127] times 4194304)}}
  %0 = qnn.add %a, %b {lhs_multiplier = 8388608, rhs_multiplier = 4194304, rhs_zp = 128} : (tensor<4xi8>, tensor<4xui8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func @avg_pool
func.func @avg_pool(%x: tensor<1x2x8x8xi8>) -> tensor<1x2x8x8xi32> {
  // 3x3 window, padded: 9 * [-128, 127] = [-1152, 1143].
  // CHECK: qnn.avg_pool2d {{.*}}qnn.acc16
  // expected-remark @+1 {{accumulator range [-1152, 1143] fits 'i32' and 16 bits (window of 9, data - zp in [-128, 127])}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x8x8xi8> -> tensor<1x2x8x8xi32>
  return %0 : tensor<1x2x8x8xi32>
}

// A stale qnn.acc16 is removed when the interval does not fit 16 bits.
// CHECK-LABEL: func.func @stale_annotation
// CHECK-NOT: qnn.acc16
// CHECK: return
func.func @stale_annotation(%x: tensor<1x64x8x8xi8>, %w: tensor<64x64x3x3xi8>) -> tensor<1x64x6x6xi32> {
  // expected-remark @+1 {{accumulator range [-9363456, 9437184] fits 'i32'}}
  %0 = qnn.conv2d %x, %w {qnn.acc16} : (tensor<1x64x8x8xi8>, tensor<64x64x3x3xi8>) -> tensor<1x64x6x6xi32>
  return %0 : tensor<1x64x6x6xi32>
}
