// RUN: qnn-opt %s --qnn-fold-scales="per-tensor report" -verify-diagnostics | FileCheck %s

// per-tensor collapses the channel scales to the geometric mean of the
// smallest and the largest, sqrt(0.01 * 0.04) = 0.02 = 0.64 * 2^-5:
// s = 31 + 5 = 36, 0.02 * 2^36 = 1374389534.72 -> M = 1374389535. The
// worst channel is the smallest: |0.02 - 0.01| / 0.01 = 1.0 (for 0.04 it is
// 0.5). The report is what tells the user the collapse costs a factor 2.

// CHECK-LABEL: func.func @collapse
// CHECK: qnn.rescale %{{.*}} {multiplier = array<i32: 1374389535>, shift = array<i32: 36>} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xi8>
func.func @collapse(%x: tensor<1x3x2x2xi32>) -> tensor<1x3x2x2xi8> {
  // expected-remark @+1 {{worst relative error 1.000e+00 at channel 0: scale 1.000e-02 ~ 1374389535 / 2^36}}
  %0 = qnn.requantize %x {scale = array<f64: 0.01, 0.04, 0.02>} : tensor<1x3x2x2xi32> -> tensor<1x3x2x2xi8>
  return %0 : tensor<1x3x2x2xi8>
}

// A per-tensor scale stays as it is.
// CHECK-LABEL: func.func @already_per_tensor
// CHECK: qnn.rescale %{{.*}} {multiplier = array<i32: 1717986918>, shift = array<i32: 34>}
func.func @already_per_tensor(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-remark @+1 {{worst relative error 2.328e-10 at channel 0: scale 1.000e-01 ~ 1717986918 / 2^34}}
  %0 = qnn.requantize %x {scale = array<f64: 0.1>} : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
