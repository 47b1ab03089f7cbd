// RUN: qnn-opt %s | qnn-opt | FileCheck %s
// RUN: qnn-opt %s --mlir-print-op-generic | qnn-opt | FileCheck %s

// Round trip of the pre-folding ops that the passes fold away:
// qnn.requantize_add (--qnn-fold-scales) and qnn.batch_norm
// (--qnn-fold-batch-norm).

// CHECK-LABEL: func.func @requantize_add
func.func @requantize_add(%a: tensor<2x4xi8>, %b: tensor<2x4xui4>) -> (tensor<2x4xi8>, tensor<2x4xi8>) {
  // CHECK: qnn.requantize_add %{{.*}}, %{{.*}} {lhs_scale = 5.000000e-01 : f64, rhs_scale = 2.500000e-01 : f64} : (tensor<2x4xi8>, tensor<2x4xui4>) -> tensor<2x4xi8>
  %0 = qnn.requantize_add %a, %b {lhs_scale = 0.5, rhs_scale = 0.25} : (tensor<2x4xi8>, tensor<2x4xui4>) -> tensor<2x4xi8>
  // CHECK: qnn.requantize_add %{{.*}}, %{{.*}} {clamp_max = 100 : i64, clamp_min = -5 : i64, lhs_scale = 1.250000e+00 : f64, lhs_zp = -3 : i64, output_zp = -5 : i64, rhs_scale = 3.000000e-01 : f64, rhs_zp = 8 : i64, rounding = #qnn.rounding<half_even>}
  %1 = qnn.requantize_add %a, %b {lhs_scale = 1.25, rhs_scale = 0.3, lhs_zp = -3, rhs_zp = 8, output_zp = -5, clamp_min = -5, clamp_max = 100, rounding = #qnn.rounding<half_even>} : (tensor<2x4xi8>, tensor<2x4xui4>) -> tensor<2x4xi8>
  return %0, %1 : tensor<2x4xi8>, tensor<2x4xi8>
}

// CHECK-LABEL: func.func @batch_norm
func.func @batch_norm(%acc: tensor<1x3x2x2xi32>, %acc64: tensor<4x2xi64>) -> (tensor<1x3x2x2xi32>, tensor<4x2xi64>, tensor<4x2xi64>) {
  // CHECK: qnn.batch_norm %{{.*}} {offset = array<f64: 1.000000e+00, -2.500000e+00, 0.000000e+00>, scale = array<f64: 5.000000e-01, -1.000000e+00, 2.000000e+00>} : tensor<1x3x2x2xi32>
  %0 = qnn.batch_norm %acc {scale = array<f64: 0.5, -1.0, 2.0>, offset = array<f64: 1.0, -2.5, 0.0>} : tensor<1x3x2x2xi32>
  // CHECK: qnn.batch_norm %{{.*}} {offset = array<f64: 3.000000e+00>, scale = array<f64: 1.500000e+00>} : tensor<4x2xi64>
  %1 = qnn.batch_norm %acc64 {scale = array<f64: 1.5>, offset = array<f64: 3.0>} : tensor<4x2xi64>
  // CHECK: qnn.batch_norm %{{.*}} {axis = 0 : i64, offset = array<f64: 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00>, scale = array<f64: 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00>} : tensor<4x2xi64>
  %2 = qnn.batch_norm %acc64 {scale = array<f64: 1.0, 2.0, 3.0, 4.0>, offset = array<f64: 0.0, 0.0, 0.0, 0.0>, axis = 0} : tensor<4x2xi64>
  return %0, %1, %2 : tensor<1x3x2x2xi32>, tensor<4x2xi64>, tensor<4x2xi64>
}
