// RUN: qnn-opt %s -split-input-file --qnn-check-ranges -verify-diagnostics

// Constructed overflows: each error names the op, the interval and what it
// was derived from.

func.func @matmul_i16(%x: tensor<1x4xi16>, %w: tensor<4x1xi16>) -> tensor<1x1xi32> {
  // i16 x i16 with K = 4: [-32768 * 32767, 32768^2] * 4 = [-4294836224, 4294967296].
  // expected-error @+1 {{'qnn.matmul' op worst-case accumulator range [-4294836224, 4294967296] does not fit 'i32' (K = 4, data - zp in [-32768, 32767], weight - zp in [-32768, 32767])}}
  %0 = qnn.matmul %x, %w : (tensor<1x4xi16>, tensor<4x1xi16>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

func.func @conv_bias(%x: tensor<1x1x2x2xi8>) -> tensor<1x2x1x1xi32> {
  // Channel 1: bias 2147483200 plus up to 4 * 128 * 1 = 512 (x = -128 times
  // w = -1): 2147483712 > 2^31 - 1. Channel 0 alone would fit.
  %w = qnn.constant dense<[[[[1, 1], [1, 1]]], [[[-1, -1], [-1, -1]]]]> : tensor<2x1x2x2xi8>
  %b = qnn.constant dense<[0, 2147483200]> : tensor<2xi32>
  // expected-error @+1 {{'qnn.conv2d' op worst-case accumulator range [-512, 2147483712] does not fit 'i32' (K = 4, data - zp in [-128, 127], constant weights, bias in [0, 2147483200])}}
  %0 = qnn.conv2d %x, %w, %b : (tensor<1x1x2x2xi8>, tensor<2x1x2x2xi8>, tensor<2xi32>) -> tensor<1x2x1x1xi32>
  return %0 : tensor<1x2x1x1xi32>
}

// -----

func.func @bias_not_constant(%x: tensor<1x2xi8>, %w: tensor<2x3xi8>, %b: tensor<3xi32>) -> tensor<1x3xi32> {
  // Nothing is known of a bias argument but its type: any i32 plus a
  // product overflows.
  // expected-error @+1 {{'qnn.matmul' op worst-case accumulator range [-2147516160, 2147516415] does not fit 'i32' (K = 2, data - zp in [-128, 127], weight - zp in [-128, 127], bias in [-2147483648, 2147483647])}}
  %0 = qnn.matmul %x, %w, %b : (tensor<1x2xi8>, tensor<2x3xi8>, tensor<3xi32>) -> tensor<1x3xi32>
  return %0 : tensor<1x3xi32>
}

// -----

func.func @add_multipliers(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi32> {
  // 2^30 * [-128, 127] alone is [-2^37, 127 * 2^30].
  // expected-error @+1 {{'qnn.add' op worst-case accumulator range [-137438953600, 136365211775] does not fit 'i32' (lhs - zp in [-128, 127] times 1073741824, rhs - zp in [-128, 127] times 1)}}
  %0 = qnn.add %a, %b {lhs_multiplier = 1073741824} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @avg_pool_window(%x: tensor<1x1x256x256xi16>) -> tensor<1x1x1x1xi32> {
  // A 256x256 window of i16: 65536 * [-32768, 32767] = [-2^31, 2147418112]
  // fits; with input_zp 100 the low end -32868 * 65536 does not.
  // expected-error @+1 {{'qnn.avg_pool2d' op worst-case accumulator range [-2154037248, 2140864512] does not fit 'i32' (window of 65536, data - zp in [-32868, 32667])}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 256, 256>, input_zp = 100} : tensor<1x1x256x256xi16> -> tensor<1x1x1x1xi32>
  return %0 : tensor<1x1x1x1xi32>
}
