// RUN: qnn-opt %s -split-input-file -verify-diagnostics

// One case per verifier error of qnn.requantize_add and qnn.batch_norm.

func.func @add_wide_lhs(%a: tensor<4xi32>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize_add' op expects lhs elements of at most 16 bits, got i32}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0} : (tensor<4xi32>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_wide_rhs(%a: tensor<4xi8>, %b: tensor<4xui17>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize_add' op expects rhs elements of at most 16 bits, got ui17}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0} : (tensor<4xi8>, tensor<4xui17>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_lhs_zp(%a: tensor<4xi4>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize_add' op lhs_zp 8 is outside the range [-8, 7] of i4}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0, lhs_zp = 8} : (tensor<4xi4>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_rhs_zp(%a: tensor<4xi8>, %b: tensor<4xui8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize_add' op rhs_zp -1 is outside the range [0, 255] of ui8}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0, rhs_zp = -1} : (tensor<4xi8>, tensor<4xui8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_lhs_scale(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize_add' op lhs_scale 0.000000e+00 is not positive and finite}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 0.0, rhs_scale = 1.0} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_rhs_scale(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize_add' op rhs_scale INF is not positive and finite}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 0x7FF0000000000000 : f64} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_shapes(%a: tensor<4xi8>, %b: tensor<2x2xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize_add' op expects operands and result of one shape}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0} : (tensor<4xi8>, tensor<2x2xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_wide_result(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi64> {
  // expected-error @+1 {{'qnn.requantize_add' op expects result elements of at most 32 bits, got i64}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @add_output_zp(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xui4> {
  // expected-error @+1 {{'qnn.requantize_add' op output_zp 16 is outside the range [0, 15] of ui4}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0, output_zp = 16} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xui4>
  return %0 : tensor<4xui4>
}

// -----

func.func @add_clamp_min(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize_add' op clamp_min -129 is outside the range [-128, 127] of i8}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0, clamp_min = -129} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_clamp_max(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize_add' op clamp_max 128 is outside the range [-128, 127] of i8}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0, clamp_max = 128} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_clamp_order(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize_add' op clamp_min 10 is greater than clamp_max 5}}
  %0 = qnn.requantize_add %a, %b {lhs_scale = 1.0, rhs_scale = 1.0, clamp_min = 10, clamp_max = 5} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @batch_norm_not_accumulator(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.batch_norm' op expects input of accumulator type i32 or i64, got i8}}
  %0 = qnn.batch_norm %x {scale = array<f64: 1.0>, offset = array<f64: 0.0>} : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @batch_norm_no_scale(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.batch_norm' op expects at least one scale}}
  %0 = qnn.batch_norm %x {scale = array<f64>, offset = array<f64>} : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @batch_norm_offset_count(%x: tensor<1x2xi32>) -> tensor<1x2xi32> {
  // expected-error @+1 {{'qnn.batch_norm' op expects as many offsets as scales, got 1 and 2}}
  %0 = qnn.batch_norm %x {scale = array<f64: 1.0, 2.0>, offset = array<f64: 0.0>} : tensor<1x2xi32>
  return %0 : tensor<1x2xi32>
}

// -----

func.func @batch_norm_scale_not_finite(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.batch_norm' op scale nan is not finite}}
  %0 = qnn.batch_norm %x {scale = array<f64: 0x7FF8000000000000>, offset = array<f64: 0.0>} : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @batch_norm_offset_not_finite(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.batch_norm' op offset -INF is not finite}}
  %0 = qnn.batch_norm %x {scale = array<f64: 1.0>, offset = array<f64: 0xFFF0000000000000>} : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @batch_norm_axis(%x: tensor<2x2xi32>) -> tensor<2x2xi32> {
  // expected-error @+1 {{'qnn.batch_norm' op axis 2 is out of range for rank 2}}
  %0 = qnn.batch_norm %x {scale = array<f64: 1.0, 2.0>, offset = array<f64: 0.0, 0.0>, axis = 2} : tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

func.func @batch_norm_channels(%x: tensor<1x3xi32>) -> tensor<1x3xi32> {
  // expected-error @+1 {{'qnn.batch_norm' op expects 1 (per-tensor) or 3 (one per channel along axis 1) scale values, got 2}}
  %0 = qnn.batch_norm %x {scale = array<f64: 1.0, 2.0>, offset = array<f64: 0.0, 0.0>} : tensor<1x3xi32>
  return %0 : tensor<1x3xi32>
}

// -----

func.func @batch_norm_result_type(%x: tensor<4xi32>) -> tensor<4xi64> {
  // expected-error @+1 {{'qnn.batch_norm' op requires the same type for all operands and results}}
  %0 = "qnn.batch_norm"(%x) {scale = array<f64: 1.0>, offset = array<f64: 0.0>} : (tensor<4xi32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}
