// RUN: qnn-opt %s -split-input-file --qnn-fold-scales=report -verify-diagnostics

// The remark names the worst channel, its scale, the integer approximation
// M / 2^s and |M / 2^s - scale| / scale.

func.func @per_channel(%x: tensor<1x2xi32>) -> tensor<1x2xi8> {
  // 0.1 ~ 1717986918 / 2^34: 0.1 * 2^34 = 1717986918.4, error 0.4 / 1717986918.4
  // = 2.328e-10; 2^-7 = 1073741824 / 2^37 exactly.
  // expected-remark @+1 {{worst relative error 2.328e-10 at channel 0: scale 1.000e-01 ~ 1717986918 / 2^34}}
  %0 = qnn.requantize %x {scale = array<f64: 0.1, 0.0078125>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %0 : tensor<1x2xi8>
}

// -----

func.func @exact(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-remark @+1 {{worst relative error 0.000e+00 at channel 0: scale 3.906e-03 ~ 1073741824 / 2^38}}
  %0 = qnn.requantize %x {scale = array<f64: 0.00390625>} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add(%a: tensor<4xui8>, %b: tensor<4xi8>) -> tensor<4xui8> {
  // Operand ranges and shift as in fold-scales.mlir (@add_zero_points_and_clamps):
  // lhs 0.3 ~ 2516582 / 2^23 (error 0.4 / 2516582.4 = 1.589e-07),
  // rhs 0.7 ~ 5872026 / 2^23 (error 0.4 / 5872025.6 = 6.812e-08).
  %relu = qnn.clamp %a {min = 10, max = 255} : tensor<4xui8>
  // expected-remark @+1 {{worst relative error 1.589e-07: lhs scale 3.000e-01 ~ 2516582 / 2^23, rhs scale 7.000e-01 ~ 5872026 / 2^23}}
  %0 = qnn.requantize_add %relu, %b {lhs_scale = 0.3, rhs_scale = 0.7, lhs_zp = 10, rhs_zp = -3, output_zp = 5} : (tensor<4xui8>, tensor<4xi8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}
